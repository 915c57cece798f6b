import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from '../config/env';
import { ensureDatabase, migrate } from '../db/migrate';
import { EMBEDDED_DATABASE, embeddedPostgresPaths, freePort, prepareEmbeddedPostgres, waitForPostgres } from './embedded-postgres';
import type { Supervisor } from './supervisor';

/**
 * The application database of `npm start`: the one in `DATABASE_URL`, or the
 * embedded server. A failure to reach or prepare it becomes one line that says
 * what to do: a newcomer with a wrong `DATABASE_URL` should not have to read a
 * stack trace from the Postgres driver.
 */

/** Raised by `npm start` when the configured database cannot be used; the message is the advice. */
export class DatabaseSetupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseSetupError';
  }
}

/** The URL without its password, fit for a log line. */
export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Explains a connection or `CREATE DATABASE` failure against `databaseUrl`.
 * Errors it does not recognise keep the driver's own message, still on one line.
 */
export function explainDatabaseError(err: unknown, databaseUrl: string): DatabaseSetupError {
  const e = err as { code?: string; message?: string; errors?: { code?: string }[] };
  // Node reports "localhost" failures as an AggregateError of the IPv4 and IPv6 attempts.
  const code = e.code ?? e.errors?.[0]?.code;
  let user = '?';
  let database = '?';
  let where = '?';
  try {
    const url = new URL(databaseUrl);
    user = decodeURIComponent(url.username) || '(default user)';
    database = decodeURIComponent(url.pathname.slice(1));
    where = `${url.hostname}:${url.port || 5432}`;
  } catch {
    // Left as '?': the config schema already checked it is a URL.
  }
  const unset = 'or unset DATABASE_URL to use the embedded database';
  const advice: Record<string, string> = {
    ECONNREFUSED: `Nothing accepts connections at ${where} (DATABASE_URL): start Postgres there, fix the host and port, ${unset}.`,
    ENOTFOUND: `The database host in DATABASE_URL (${where}) does not resolve: fix DATABASE_URL, ${unset}.`,
    ETIMEDOUT: `No answer from ${where} (DATABASE_URL): check the host, port and firewall, ${unset}.`,
    '28P01': `Postgres at ${where} refused the password of user "${user}": fix the password in DATABASE_URL, ${unset}.`,
    '28000': `Postgres at ${where} does not let user "${user}" in (pg_hba.conf or no such role): fix DATABASE_URL or the server's access rules, ${unset}.`,
    '42501': `User "${user}" may not create database "${database}" at ${where}: create it once yourself (CREATE DATABASE "${database}" OWNER "${user}") or grant CREATEDB, ${unset}.`,
    '3D000': `Database "postgres" (used to create "${database}") does not exist at ${where}: create "${database}" yourself, ${unset}.`,
  };
  const message =
    (code && advice[code]) ??
    `Cannot use the database ${redactUrl(databaseUrl)}: ${(e.message ?? String(err)).split('\n')[0]} — fix DATABASE_URL, ${unset}.`;
  return new DatabaseSetupError(message, { cause: err });
}

/**
 * The database URL the children get: `DATABASE_URL` as given, or the embedded
 * server's, started under supervision. Either way created if missing and migrated.
 */
export async function prepareDatabase(config: AppConfig, supervisor: Supervisor): Promise<string> {
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const { clusterDir } = embeddedPostgresPaths(config.DATA_DIR);
    if (!existsSync(join(clusterDir, 'PG_VERSION')) && existsSync(resolve(config.DATA_DIR, 'temporal.db'))) {
      // Before the embedded database, an unset DATABASE_URL meant the local server's
      // `salesproc`: Temporal's processes from then refer to rows kept there.
      console.warn(
        `start: warning: ${config.DATA_DIR}/temporal.db is from an earlier run, but the embedded database is new. ` +
          'If that run used postgresql://postgres@127.0.0.1:5432/salesproc, set DATABASE_URL to it; otherwise its processes will miss their rows.',
      );
    }
    const pg = await prepareEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_POSTGRES_PORT || (await freePort()) });
    // Postgres wants SIGINT ("fast" shutdown); it stops after the applications using it.
    await supervisor.start({
      name: 'postgres',
      command: pg.command,
      args: pg.args,
      uid: pg.uid,
      gid: pg.gid,
      logFile: pg.logFile,
      stopSignal: 'SIGINT',
      stopOrder: 1,
    });
    databaseUrl = pg.url(EMBEDDED_DATABASE);
    await waitForPostgres(pg.url('postgres'), () => supervisor.pid('postgres') === undefined);
    console.log(`start: embedded Postgres on 127.0.0.1:${pg.port} (log: ${pg.logFile})`);
  }
  try {
    if (await ensureDatabase(databaseUrl)) console.log('start: created the database');
  } catch (err) {
    throw explainDatabaseError(err, databaseUrl);
  }
  const applied = await migrate(databaseUrl);
  console.log(applied.length ? `start: applied migrations ${applied.join(', ')}` : 'start: database is up to date');
  return databaseUrl;
}
