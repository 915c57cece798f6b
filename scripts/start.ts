import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, loadDotEnvFile } from '../config/env';
import { createPrismaClient } from '../db/client';
import { ensureWebBuilt } from './build-web';
import { DatabaseSetupError, prepareDatabase, redactUrl } from './database';
import { startDemoLaunch } from './demo-launch';
import { EmbeddedPostgresError } from './embedded-postgres';
import { demoPassword, seedDemo, DEMO_USERS } from './seed';
import { Supervisor } from './supervisor';
import { privateDir } from './private-files';
import { prepareTemporal, TemporalUnavailableError } from './temporal-server';

const ROOT = resolve(__dirname, '..');
/** Ctrl-C is promised to end everything within 10 s; this is the last resort behind the supervisor's own deadline. */
const HARD_EXIT_MS = 9_800;

/**
 * `npm start`: the whole system on its embedded defaults. A database (the one in
 * `DATABASE_URL`, else an embedded Postgres), migrated and seeded; a Temporal
 * server (the one in `TEMPORAL_ADDRESS`, else the dev server); a worker and the
 * API. Every process it starts runs under a {@link Supervisor}: restarted if it
 * crashes, all stopped on Ctrl-C or SIGTERM.
 */
async function main(): Promise<void> {
  loadDotEnvFile();
  const config = loadConfig();
  // Everything npm start and its children write (the Temporal store and its -wal and
  // -shm files, logs, the demo credentials) is owner-only from the first byte; the
  // data folder too, an existing one included. As root, the embedded Postgres runs as
  // the `postgres` user, which must pass through the folder to its cluster: then
  // others may traverse it (0711) but not list it, and its files stay 0600.
  const inheritedUmask = process.umask(0o077);
  privateDir(config.DATA_DIR, process.getuid?.() === 0 && !config.DATABASE_URL ? 0o711 : 0o700);
  const supervisor = new Supervisor();
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('start: stopping…');
    setTimeout(() => process.exit(code || 1), HARD_EXIT_MS).unref();
    await supervisor.stop();
    for (const stop of stops) await stop().catch((err: unknown) => console.error(err));
    process.exit(code);
  };
  // `on`, not `once`: Ctrl-C reaches this process twice (from the terminal and
  // relayed by the tsx wrapper), and a second SIGINT with no listener left would
  // kill it on the spot, orphaning the children.
  // SIGHUP too: a closed terminal must not leave the children (in their own
  // process groups, out of the terminal's reach) running without their parent.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

  try {
    // Except for the database: as root, the embedded-postgres package hands initdb
    // (run as the `postgres` user) a password file it writes under the umask, which
    // must stay readable to that user. Postgres sets its own umask (077) for its files.
    process.umask(inheritedUmask);
    const databaseUrl = await prepareDatabase(config, supervisor);
    process.umask(0o077);
    const prisma = createPrismaClient(databaseUrl);
    const { password, source } = demoPassword(config);
    await seedDemo(prisma, password);
    await prisma.$disconnect();
    await ensureWebBuilt(); // the browser front end, when its build is missing or older than web/

    const temporal = await prepareTemporal(config, supervisor, stops);
    const childEnv = { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporal.address };
    for (const [name, entry] of [
      ['worker', 'worker/main.ts'],
      ['api', 'api/server.ts'],
    ] as const) {
      // `node --import tsx` rather than the tsx CLI: one process per child, no wrapper in between.
      await supervisor.start({ name, command: process.execPath, args: ['--import', 'tsx', join(ROOT, entry)], env: childEnv, cwd: ROOT });
    }

    const apiUrl = `http://${config.HOST}:${config.PORT}`;
    let demo = 'off (DEMO_LAUNCH=false)';
    if (config.DEMO_LAUNCH) {
      await waitForHealth(apiUrl, () => stopping);
      const demoPrisma = createPrismaClient(databaseUrl);
      try {
        demo = await startDemoLaunch(apiUrl, demoPrisma, password);
      } catch (err) {
        demo = `not started: ${(err as Error).message}`;
      } finally {
        await demoPrisma.$disconnect();
      }
    }
    console.log(
      [
        '',
        `  API         ${apiUrl}  (health: /health)`,
        `  Database    ${config.DATABASE_URL ? redactUrl(databaseUrl) : `embedded, ${resolve(config.DATA_DIR, 'postgres')}`}`,
        temporal.uiUrl ? `  Temporal UI ${temporal.uiUrl}` : `  Temporal    ${temporal.address}`,
        `  Demo users  ${Object.keys(DEMO_USERS).join(', ')}; password from ${source}`,
        `  Demo launch ${demo}`,
        '  Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    if (stopping) return;
    // Errors that carry their own advice get one line; anything else keeps its stack.
    const known = [ConfigError, DatabaseSetupError, EmbeddedPostgresError, TemporalUnavailableError].some((k) => err instanceof k);
    console.error(known ? `start: ${(err as Error).message}` : err);
    await shutdown(1);
  }
}

/** Waits until the API answers its health check (or the start is being stopped). */
async function waitForHealth(url: string, stopped: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!stopped() && Date.now() < deadline) {
    const res = await fetch(`${url}/health`).catch(() => undefined);
    if (res?.ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `start: ${err.message}` : err);
  process.exit(1);
});
