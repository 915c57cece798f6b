import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { loadConfig, loadDotEnvFile } from '../config/env';
import { createPrismaClient } from '../db/client';
import { ensureDatabase, migrate } from '../db/migrate';
import { ensureWebBuilt } from './build-web';
import { startDemoLaunch } from './demo-launch';
import { demoPassword, seedDemo, DEMO_USERS } from './seed';
import { resolveTemporalCli, startDevServer } from './temporal-server';

const ROOT = resolve(__dirname, '..');

/**
 * `npm start`: the whole system on its embedded defaults. Creates and migrates the
 * database, seeds the demo users, starts (or uses) a Temporal server, then runs a
 * worker and the API as child processes. Ctrl-C stops everything it started.
 */
async function main(): Promise<void> {
  loadDotEnvFile();
  const config = loadConfig();
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('start: stopping…');
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error(err));
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  if (await ensureDatabase(config.DATABASE_URL)) console.log('start: created the database');
  const applied = await migrate(config.DATABASE_URL);
  console.log(applied.length ? `start: applied migrations ${applied.join(', ')}` : 'start: database is up to date');
  const prisma = createPrismaClient(config.DATABASE_URL);
  const { password, source } = demoPassword(config);
  await seedDemo(prisma, password);
  await prisma.$disconnect();
  await ensureWebBuilt(); // the browser front end, when its build is missing or older than web/

  let temporalAddress = config.TEMPORAL_ADDRESS;
  let uiUrl: string | undefined;
  if (temporalAddress) {
    console.log(`start: using the Temporal server at ${temporalAddress}`);
  } else {
    const dbFile = resolve(config.DATA_DIR, 'temporal.db');
    const cli = resolveTemporalCli(config.TEMPORAL_CLI_PATH);
    if (cli) {
      const server = await startDevServer({
        cli,
        port: config.TEMPORAL_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        dbFile,
        namespace: config.TEMPORAL_NAMESPACE,
        logFile: resolve(config.DATA_DIR, 'temporal.log'),
      });
      console.log(`start: Temporal dev server on ${server.address} (log: ${config.DATA_DIR}/temporal.log)`);
      stops.push(() => server.stop());
      temporalAddress = server.address;
    } else {
      // Last resort on a machine with internet: the SDK downloads the same CLI.
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
      temporalAddress = env.address;
    }
    uiUrl = `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`;
  }

  const childEnv = { ...process.env, TEMPORAL_ADDRESS: temporalAddress };
  const tsx = require.resolve('tsx/cli');
  const children: ChildProcess[] = [];
  const run = (name: string, entry: string) => {
    const child = spawn(process.execPath, [tsx, join(ROOT, entry)], { env: childEnv, stdio: 'inherit' });
    children.push(child);
    child.once('exit', (code, signal) => {
      if (!stopping) {
        console.error(`start: ${name} exited (${code ?? signal}); stopping everything`);
        void shutdown(1);
      }
    });
    stops.push(
      () =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
    );
  };
  run('worker', 'worker/main.ts');
  run('api', 'api/server.ts');

  const apiUrl = `http://${config.HOST}:${config.PORT}`;
  let demo = 'off (DEMO_LAUNCH=false)';
  if (config.DEMO_LAUNCH) {
    await waitForHealth(apiUrl, () => stopping);
    const demoPrisma = createPrismaClient(config.DATABASE_URL);
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
      uiUrl ? `  Temporal UI ${uiUrl}` : `  Temporal    ${temporalAddress}`,
      `  Demo users  ${Object.keys(DEMO_USERS).join(', ')}; password from ${source}`,
      `  Demo launch ${demo}`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
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
  console.error('start failed:', err);
  process.exit(1);
});
