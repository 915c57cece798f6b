import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, loadDotEnvFile, type AppConfig } from '../config/env';
import { createPrismaClient } from '../db/client';
import { ensureDatabase, migrate } from '../db/migrate';
import { DatabaseSetupError, explainDatabaseError, redactUrl } from './database';
import { startDemoLaunch } from './demo-launch';
import { EMBEDDED_DATABASE, EmbeddedPostgresError, freePort, prepareEmbeddedPostgres, waitForPostgres } from './embedded-postgres';
import { demoPassword, seedDemo, DEMO_USERS } from './seed';
import { Supervisor } from './supervisor';
import { devServerArgs, portOpen, resolveTemporalCli, TemporalUnavailableError, waitForTemporal } from './temporal-server';

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
  mkdirSync(config.DATA_DIR, { recursive: true });
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
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const databaseUrl = await prepareDatabase(config, supervisor);
    const prisma = createPrismaClient(databaseUrl);
    const { password, source } = demoPassword(config);
    await seedDemo(prisma, password);
    await prisma.$disconnect();

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

/**
 * The database URL the children get: `DATABASE_URL` as given, or the embedded
 * server's, started under supervision. Either way created if missing and migrated.
 */
async function prepareDatabase(config: AppConfig, supervisor: Supervisor): Promise<string> {
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
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

/** The Temporal server: `TEMPORAL_ADDRESS`, else the dev server under supervision. */
async function prepareTemporal(
  config: AppConfig,
  supervisor: Supervisor,
  stops: (() => Promise<void>)[],
): Promise<{ address: string; uiUrl?: string }> {
  if (config.TEMPORAL_ADDRESS) {
    console.log(`start: using the Temporal server at ${config.TEMPORAL_ADDRESS}`);
    return { address: config.TEMPORAL_ADDRESS };
  }
  const dbFile = resolve(config.DATA_DIR, 'temporal.db');
  const uiUrl = `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`;
  const cli = resolveTemporalCli(config.TEMPORAL_CLI_PATH);
  if (!cli) {
    // Last resort on a machine with internet: the SDK downloads the same CLI. It
    // runs that server itself, so this one is stopped but not restarted.
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: '127.0.0.1',
        port: config.TEMPORAL_PORT,
        ui: true,
        uiPort: config.TEMPORAL_UI_PORT,
        dbFilename: dbFile,
        namespace: config.TEMPORAL_NAMESPACE,
      },
    });
    stops.push(() => env.teardown());
    return { address: env.address, uiUrl };
  }
  if (await portOpen(config.TEMPORAL_PORT)) {
    throw new TemporalUnavailableError(
      `Port ${config.TEMPORAL_PORT} is already in use: stop what runs there, or set TEMPORAL_PORT or TEMPORAL_ADDRESS`,
    );
  }
  const address = `127.0.0.1:${config.TEMPORAL_PORT}`;
  const logFile = resolve(config.DATA_DIR, 'temporal.log');
  const args = devServerArgs({ port: config.TEMPORAL_PORT, uiPort: config.TEMPORAL_UI_PORT, dbFile, namespace: config.TEMPORAL_NAMESPACE });
  await supervisor.start({ name: 'temporal', command: cli, args, logFile, stopOrder: 1 });
  await waitForTemporal(cli, address, () => supervisor.pid('temporal') === undefined);
  console.log(`start: Temporal dev server on ${address} (log: ${logFile})`);
  return { address, uiUrl };
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
