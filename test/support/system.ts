import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { loadConfig, type AppConfig } from '../../config/env';
import { createPrismaClient, type PrismaClient } from '../../db/client';
import { startApi } from '../../api/server';
import { createWorker } from '../../worker/create-worker';
import { WORKFLOWS_PATH } from '../../worker/workflow-code';
import { readTestEnv, type TestEnv } from './test-env';

/** Quiets the SDK's own logging in tests; a no-op when the runtime already exists. */
export function installQuietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier file in this process.
  }
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  return bundle;
}

/** An HTTP response as the tests look at it. */
export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Sends a request to the API under test; `body` as an object (JSON) or raw string.
 * With `timeoutMs`, a request not answered by then rejects (a `TimeoutError`).
 */
export async function http<T = any>(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const signal = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  const res = await fetch(url + path, { method, headers, body: payload, signal });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/** A signed-in user of the API under test. */
export interface Session {
  token: string;
  get<T = any>(path: string): Promise<HttpResult<T>>;
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult<T>>;
  send<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult<T>>;
}

/** The whole system on the shared dev server: database, a worker, the API over HTTP. */
export interface TestSystem {
  env: TestEnv;
  config: AppConfig;
  url: string;
  prisma: PrismaClient;
  client: Client;
  taskQueue: string;
  login(username: string, password?: string): Promise<Session>;
  stop(): Promise<void>;
}

/**
 * Starts a worker on its own task queue and the API on a free port, against the
 * dev server and database of the global setup.
 */
export async function startSystem(overrides: Record<string, string> = {}): Promise<TestSystem> {
  installQuietRuntime();
  const env = readTestEnv();
  const taskQueue = `test-${randomUUID()}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: env.databaseUrl,
    TEMPORAL_ADDRESS: env.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PORT: '0',
    // Request lines of every test would bury jest's output; faults still show.
    LOG_LEVEL: 'error',
    ...overrides,
  });
  const prisma = createPrismaClient(env.databaseUrl);
  const nativeConnection = await NativeConnection.connect({ address: env.temporalAddress });
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    prisma,
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  const api = await startApi(config);
  const connection = await Connection.connect({ address: env.temporalAddress });
  const client = new Client({ connection });

  const sessionFor = (token: string): Session => ({
    token,
    get: (path) => http(api.url, 'GET', path, { token }),
    post: (path, body, headers) => http(api.url, 'POST', path, { token, body: body ?? {}, headers }),
    send: (method, path, body, headers) => http(api.url, method, path, { token, body, headers }),
  });

  return {
    env,
    config,
    url: api.url,
    prisma,
    client,
    taskQueue,
    async login(username, password = env.password) {
      const res = await http<{ token: string }>(api.url, 'POST', '/api/auth/login', { body: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return sessionFor(res.body.token);
    },
    async stop() {
      await api.close();
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await prisma.$disconnect();
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
