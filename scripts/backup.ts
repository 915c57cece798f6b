import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Client } from 'pg';
import { ConfigError, loadConfig, loadDotEnvFile, type AppConfig } from '../config/env';
import { explainDatabaseError, DatabaseSetupError } from './database';
import {
  EMBEDDED_DATABASE,
  EmbeddedPostgresError,
  embeddedBinaries,
  embeddedPostgresPaths,
  embeddedUrl,
  freePort,
  prepareEmbeddedPostgres,
  runningEmbeddedPort,
  waitForPostgres,
} from './embedded-postgres';
import { embeddedBinDir, PgToolNotFoundError, resolvePgTool } from './pg-tools';
import { privateDir, privateFiles, privateSqlite, withPrivateUmask } from './private-files';
import { portOpen } from './temporal-server';

/**
 * `npm run backup` and `npm run restore <archive>`: one timestamped archive
 * (`tar.gz`) holding the application database (`pg_dump` custom format) and the
 * embedded Temporal server's SQLite store, with a manifest.
 *
 * The Temporal store is copied first and the database second, both online. The
 * two copies cannot be one atomic snapshot, and this order makes the database the
 * newer of the two: after a restore Temporal may run an activity again whose row
 * is already in the database (activities are idempotent, so that is harmless),
 * but never believes in a row the database does not have.
 */

/** What an archive holds, written as `manifest.json` inside it. */
export interface BackupManifest {
  format: 1;
  createdAt: string;
  database: { name: string; serverMajor: number; dumpMajor: number; file: 'database.dump' };
  /** `null` when Temporal is an external server (`TEMPORAL_ADDRESS`): back that up on its own. */
  temporal: { file: 'temporal.db'; method: string } | null;
}

/** Raised for a backup or restore that cannot be done; the message says why and what to do. */
export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupError';
  }
}

type Log = (line: string) => void;

/** A database URL split into what the Postgres tools take: the URL without its password, and the password for PGPASSWORD. */
function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function run(command: string, args: string[], env?: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, { env, encoding: 'utf8' });
  if (result.status !== 0) {
    const detail = (result.stderr || result.error?.message || '').trim().split('\n').slice(-3).join(' / ');
    throw new BackupError(`${basename(command)} failed (${result.status ?? result.signal}): ${detail}`);
  }
}

/**
 * Runs `fn` with the URL of the application database: `DATABASE_URL`, the
 * embedded server if `npm start` is running it, or else the embedded server
 * started just for this and stopped afterwards (initialised first if `create`).
 */
async function withDatabase<T>(config: AppConfig, create: boolean, fn: (url: string) => Promise<T>): Promise<T> {
  if (config.DATABASE_URL) return fn(config.DATABASE_URL);
  const running = runningEmbeddedPort(config.DATA_DIR);
  if (running) return fn(embeddedUrl(config.DATA_DIR, running, EMBEDDED_DATABASE));
  const { clusterDir } = embeddedPostgresPaths(config.DATA_DIR);
  if (!create && !existsSync(join(clusterDir, 'PG_VERSION'))) {
    throw new BackupError(`There is no embedded database in ${clusterDir} and DATABASE_URL is unset: nothing to back up`);
  }
  const pg = await prepareEmbeddedPostgres({ dataDir: config.DATA_DIR, port: await freePort(), log: () => undefined });
  const logFd = openSync(pg.logFile, 'a');
  const child = spawn(pg.command, pg.args, { uid: pg.uid, gid: pg.gid, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    await waitForPostgres(pg.url('postgres'), () => child.exitCode !== null || child.signalCode !== null);
    return await fn(pg.url(EMBEDDED_DATABASE));
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

async function serverMajor(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw explainDatabaseError(err, url);
  }
  try {
    const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
    return Math.floor(Number(rows[0]!.server_version_num) / 10_000);
  } finally {
    await client.end();
  }
}

/**
 * Copies a live SQLite file consistently through SQLite's online backup API: the
 * `sqlite3` CLI (`SQLITE3_PATH`, then PATH), else Python's `sqlite3` module
 * (python3 is already required for the Temporal CLI). Returns the method used.
 */
function backupSqlite(config: AppConfig, source: string, target: string): string {
  const cli = config.SQLITE3_PATH ?? (spawnSync('sqlite3', ['-version']).status === 0 ? 'sqlite3' : undefined);
  if (cli) {
    // The busy timeout rides out the server's own short write locks.
    run(cli, ['-cmd', '.timeout 10000', source, `.backup '${target.replace(/'/g, "''")}'`]);
    return 'sqlite3 .backup';
  }
  const script =
    'import sqlite3,sys\ns=sqlite3.connect(sys.argv[1],timeout=10)\nd=sqlite3.connect(sys.argv[2])\ns.backup(d)\nd.close()\ns.close()';
  run('python3', ['-c', script, source, target]);
  return 'python3 sqlite3.backup';
}

/** Writes a backup archive under `BACKUP_DIR` (default `DATA_DIR/backups`) and returns its path. */
export async function createBackup(config: AppConfig, log: Log = console.log): Promise<string> {
  // An archive holds the whole database: owner-only folder and files (docs/operations.md, "Backup and restore").
  return withPrivateUmask(() => writeBackup(config, log));
}

async function writeBackup(config: AppConfig, log: Log): Promise<string> {
  const backupDir = resolve(config.BACKUP_DIR ?? join(config.DATA_DIR, 'backups'));
  privateDir(backupDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const staging = mkdtempSync(join(backupDir, '.staging-'));
  try {
    let temporal: BackupManifest['temporal'] = null;
    const temporalDb = resolve(config.DATA_DIR, 'temporal.db');
    if (config.TEMPORAL_ADDRESS) {
      log(`backup: Temporal is the external server ${config.TEMPORAL_ADDRESS}; back it up with its own tools`);
    } else if (!existsSync(temporalDb)) {
      throw new BackupError(`No Temporal store at ${temporalDb}: has \`npm start\` run with DATA_DIR=${config.DATA_DIR}?`);
    } else {
      temporal = { file: 'temporal.db', method: backupSqlite(config, temporalDb, join(staging, 'temporal.db')) };
    }
    const database = await withDatabase(config, false, async (url) => {
      const major = await serverMajor(url);
      const embedded = config.DATABASE_URL ? undefined : embeddedBinDir((await embeddedBinaries()).postgres);
      const pgDump = resolvePgTool('pg_dump', major, { explicitDir: config.POSTGRES_BIN_DIR, embeddedBinDir: embedded, log });
      const { dbname, env } = toolConnection(url);
      run(pgDump, ['--format=custom', '--file', join(staging, 'database.dump'), `--dbname=${dbname}`], env);
      return { name: new URL(url).pathname.slice(1), serverMajor: major, dumpMajor: major, file: 'database.dump' as const };
    });
    const manifest: BackupManifest = { format: 1, createdAt: new Date().toISOString(), database, temporal };
    writeFileSync(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const archive = join(backupDir, `salesproc-${stamp}.tar.gz`);
    const files = ['manifest.json', 'database.dump', ...(temporal ? ['temporal.db'] : [])];
    run('tar', ['-czf', `${archive}.partial`, '-C', staging, ...files]);
    // Renamed only when complete: a half-written archive never looks like a backup.
    renameSync(`${archive}.partial`, archive);
    privateFiles(archive);
    return archive;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Brings an archive back: the database is dropped and recreated from the dump, the
 * Temporal store replaced. Refuses while the system is running.
 */
export async function restoreBackup(config: AppConfig, archive: string, log: Log = console.log): Promise<void> {
  if (!existsSync(archive) || !statSync(archive).isFile()) throw new BackupError(`No such archive: ${archive}`);
  const running = [
    !config.DATABASE_URL && runningEmbeddedPort(config.DATA_DIR) ? 'the embedded Postgres' : undefined,
    !config.TEMPORAL_ADDRESS && (await portOpen(config.TEMPORAL_PORT))
      ? `something on the Temporal port ${config.TEMPORAL_PORT}`
      : undefined,
    (await portOpen(config.PORT)) ? `something on the API port ${config.PORT}` : undefined,
  ].filter(Boolean);
  if (running.length) throw new BackupError(`Stop \`npm start\` before restoring (running: ${running.join(', ')})`);

  const work = mkdtempSync(join(resolve(config.DATA_DIR), '.restore-'));
  try {
    run('tar', ['-xzf', resolve(archive), '-C', work]);
    const manifest = JSON.parse(readFileSync(join(work, 'manifest.json'), 'utf8')) as BackupManifest;
    if (manifest.format !== 1) throw new BackupError(`Unknown archive format ${String(manifest.format)}`);

    await withDatabase(config, true, async (url) => {
      const embedded = config.DATABASE_URL ? undefined : embeddedBinDir((await embeddedBinaries()).postgres);
      const pgRestore = resolvePgTool('pg_restore', manifest.database.dumpMajor, {
        explicitDir: config.POSTGRES_BIN_DIR,
        embeddedBinDir: embedded,
        log,
      });
      await recreateDatabase(url);
      const { dbname, env } = toolConnection(url);
      run(pgRestore, ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${dbname}`, join(work, manifest.database.file)], env);
    });
    log(`restore: database restored from ${basename(archive)} (taken ${manifest.createdAt})`);

    if (manifest.temporal && !config.TEMPORAL_ADDRESS) {
      const target = resolve(config.DATA_DIR, 'temporal.db');
      // The old write-ahead log belongs to the old file: left beside the new one,
      // SQLite would replay it into it.
      for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true });
      copyFileSync(join(work, manifest.temporal.file), target);
      privateSqlite(target);
      log(`restore: Temporal store restored to ${target}`);
    } else if (manifest.temporal) {
      log(`restore: the archive holds an embedded Temporal store, but TEMPORAL_ADDRESS is set: left untouched`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Drops and recreates the database of `url`, from the server's `postgres` database. */
async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new BackupError(`Unsupported database name: ${name}`);
  target.pathname = '/postgres';
  const admin = new Client({ connectionString: target.toString() });
  try {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } catch (err) {
    throw explainDatabaseError(err, url);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  loadDotEnvFile();
  const config = loadConfig();
  const [command, archive] = process.argv.slice(2);
  if (command === 'backup') {
    console.log(`backup: wrote ${await createBackup(config)}`);
  } else if (command === 'restore' && archive) {
    await restoreBackup(config, archive);
  } else {
    throw new BackupError('Usage: npm run backup | npm run restore <archive>');
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const known = [BackupError, ConfigError, DatabaseSetupError, EmbeddedPostgresError, PgToolNotFoundError].some((k) => err instanceof k);
    console.error(known ? (err as Error).message : err);
    process.exit(1);
  });
}
