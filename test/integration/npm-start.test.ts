import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portOpen } from '../../scripts/temporal-server';
import { freePort, recreateDatabase } from '../support/global-setup';
import { http, eventually } from '../support/system';
import { readTestEnv } from '../support/test-env';

// `npm start` as a newcomer runs it: a database that does not exist yet, the
// embedded Temporal dev server with its SQLite file, a worker and the API. Ctrl-C
// (SIGINT to the process group) stops everything; a second start finds the first
// run's process and tasks still there.

const ROOT = join(__dirname, '..', '..');
let dataDir: string;
let ports: { api: number; temporal: number; ui: number };
let databaseUrl: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'salesproc-start-'));
  ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
  databaseUrl = readTestEnv().databaseUrl.replace(/\/[^/]+$/, '/salesproc_start_test');
  // Dropped so that `npm start` has to create it.
  await recreateDatabase(databaseUrl);
  const { Client } = await import('pg');
  const admin = new Client({ connectionString: databaseUrl.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS "salesproc_start_test" WITH (FORCE)');
  await admin.end();
});
/** Every `npm start` this file ran, so that a failing test still leaves nothing running. */
const started: ChildProcess[] = [];
afterAll(async () => {
  for (const child of started) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

function npmStart(): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true, // its own process group, as a terminal gives it
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      PORT: String(ports.api),
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
      TEMPORAL_CLI_PATH: readTestEnv().temporalCliPath,
      TEMPORAL_ADDRESS: '',
      DEMO_USER_PASSWORD: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

/** Presses Ctrl-C: SIGINT to the whole process group. Resolves once nothing of the group is left. */
async function ctrlC(child: ChildProcess): Promise<string> {
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
  process.kill(-child.pid!, 'SIGINT');
  const how = await exited;
  // npm re-raises the signal it got; the children must all be gone too.
  await eventually(
    async () => {
      try {
        process.kill(-child.pid!, 0);
        return undefined;
      } catch {
        return true;
      }
    },
    30_000,
    'the process group to exit',
  );
  return how;
}

async function healthy({ child, output }: { child: ChildProcess; output: () => string }) {
  return eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
      const res = await fetch(`http://127.0.0.1:${ports.api}/health`).catch(() => undefined);
      return res?.status === 200 ? res.json() : undefined;
    },
    120_000,
    `health of npm start; output so far:\n${output()}`,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${output()}`);
  });
}

test('npm start brings up the whole system, Ctrl-C stops it, a restart keeps the state', async () => {
  const first = npmStart();
  expect(await healthy(first)).toMatchObject({ status: 'ok', database: { status: 'ok' }, temporal: { status: 'ok' } });
  expect(first.output()).toMatch(/created the database/);
  // The Temporal Web UI is up on its port.
  expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);

  // The demo password was generated into the data folder, not taken from code.
  const password = readFileSync(join(dataDir, 'demo-password'), 'utf8').trim();
  const api = `http://127.0.0.1:${ports.api}`;
  const login = await http(api, 'POST', '/api/auth/login', { body: { username: 'supervisor', password } });
  expect(login.status).toBe(200);
  const token = login.body.token;
  // The demo launch is running, visible through the API, with its first tasks.
  const demo = await eventually(async () => {
    const res = await http(api, 'GET', '/api/processes/sales-launch%3ADEMO', { token });
    // Its first step is the general manager's approval of the overall plan (5.1).
    return res.status === 200 && res.body.steps?.['overall-plan-approval'] === 'running' ? res.body : undefined;
  });
  expect(demo).toMatchObject({ status: 'running', definitionKey: 'sales-launch', projectId: 'DEMO' });
  expect(first.output()).toMatch(/Demo launch sales-launch:DEMO/);
  const started = await http(api, 'POST', '/api/processes', {
    token,
    body: { definition: 'two-level-approval', projectId: 'DEMO', businessKey: 'restart-check', input: { subject: 'Survives a restart' } },
  });
  expect(started.status).toBe(201);
  const task = await eventually(async () =>
    (await http(api, 'GET', '/api/tasks?mine=true', { token })).body.find((t: { processId: string }) => t.processId === started.body.id),
  );

  expect(['SIGINT', 'exit 0']).toContain(await ctrlC(first.child));
  for (const port of [ports.api, ports.temporal, ports.ui]) expect(await portOpen(port)).toBe(false);

  const second = npmStart();
  try {
    await healthy(second);
    const again = await http(api, 'POST', '/api/auth/login', { body: { username: 'supervisor', password } });
    const shown = await http(api, 'GET', `/api/processes/${encodeURIComponent(started.body.id)}`, { token: again.body.token });
    expect(shown.status).toBe(200);
    expect(shown.body.tasks.open.map((t: { id: string }) => t.id)).toEqual([task.id]);
    // The demo launch was not started twice.
    expect(second.output()).toMatch(/Demo launch sales-launch:DEMO/);
    const launches = await http(api, 'GET', '/api/processes?definition=sales-launch', { token: again.body.token });
    expect(launches.body.map((p: { id: string }) => p.id)).toEqual(['sales-launch:DEMO']);
    // The workflow itself survived: it answers its query and accepts the completion.
    expect(shown.body.variables).toMatchObject({ subject: 'Survives a restart' });
    const done = await http(api, 'POST', `/api/tasks/${task.id}/complete`, { token: again.body.token, body: { outcome: 'approve' } });
    expect(done.status).toBe(200);
  } finally {
    expect(['SIGINT', 'exit 0']).toContain(await ctrlC(second.child));
  }
  for (const port of [ports.api, ports.temporal, ports.ui]) expect(await portOpen(port)).toBe(false);
}, 240_000);
