import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portOpen } from '../../scripts/temporal-server';
import { freePort } from '../support/global-setup';
import {
  ctrlC,
  healthOk,
  healthy as waitHealthy,
  killChild,
  killEverything,
  npmStart as startNpm,
  npmStartEnv,
  pidOf,
  ROOT,
  type Started,
} from '../support/npm-start';
import { http, eventually } from '../support/system';

// `npm start` as a newcomer runs it: no DATABASE_URL, so the embedded Postgres
// (initialised into the data folder on first start), the Temporal dev server with
// its SQLite file, a worker and the API, all supervised. Processes are killed
// with SIGKILL to show they come back; Ctrl-C (SIGINT to the process group) must
// stop everything within 10 s; a second start finds the state; a backup taken
// while running and restored onto a wiped data folder brings back the processes
// as they were at the backup, and they run to completion.

let dataDir: string;
let ports: { api: number; temporal: number; ui: number };
let api: string;
/** Processes the first test leaves for the second: one waiting for the supervisor, one for the GM. */
let waiting: string;
let waitingForGm: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'salesproc-start-'));
  // mkdtemp makes it private; as root the embedded Postgres runs as the
  // `postgres` user, which must be able to enter it.
  chmodSync(dataDir, 0o755);
  ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
  api = `http://127.0.0.1:${ports.api}`;
});
/** Every `npm start` this file ran, so that a failing test still leaves nothing running. */
const started: Started[] = [];
afterAll(async () => {
  for (const run of started) killEverything(run);
  rmSync(dataDir, { recursive: true, force: true });
});

function systemEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // DATABASE_URL empty counts as unset: the embedded database.
  return npmStartEnv(dataDir, ports, { DATABASE_URL: '', DEMO_USER_PASSWORD: '', ...extra });
}

function npmStart(extra: Record<string, string> = {}): Started {
  const run = startNpm(systemEnv(extra));
  started.push(run);
  return run;
}

function npmRun(script: string, ...args: string[]): string {
  const result = spawnSync('npm', ['run', '-s', script, '--', ...args], { cwd: ROOT, env: systemEnv(), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run ${script} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout + result.stderr;
}

const health = () => healthOk(api);
const healthy = (run: Started) => waitHealthy(run, api);

async function login(username: string): Promise<string> {
  const password = readFileSync(join(dataDir, 'demo-password'), 'utf8').trim();
  const res = await http(api, 'POST', '/api/auth/login', { body: { username, password } });
  expect(res.status).toBe(200);
  return res.body.token;
}

async function startApproval(token: string, businessKey: string): Promise<string> {
  const res = await http(api, 'POST', '/api/processes', {
    token,
    body: { definition: 'two-level-approval', projectId: 'DEMO', businessKey, input: { subject: businessKey } },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** The open task of `processId` that `token`'s user holds, once it is there. */
async function openTask(token: string, processId: string): Promise<{ id: string }> {
  return eventually(
    async () => (await http(api, 'GET', `/api/tasks?mine=true&processId=${encodeURIComponent(processId)}`, { token })).body.items[0],
    30_000,
    `a task of ${processId}`,
  );
}

/** Completes the open task of `processId` that `token`'s user holds (waiting for it to appear). */
async function approve(token: string, processId: string): Promise<void> {
  const task = await openTask(token, processId);
  // Right after a crash the worker may still be starting: the API then answers 503 with
  // Retry-After, and the same request with the same Idempotency-Key is safe to repeat.
  const key = randomUUID();
  const attempts: string[] = [];
  const t0 = Date.now();
  const done = await eventually(
    async () => {
      const res = await http(api, 'POST', `/api/tasks/${task.id}/complete`, {
        token,
        body: { outcome: 'approve' },
        headers: { 'idempotency-key': key },
      });
      attempts.push(`${Date.now() - t0} ms: ${res.status}`);
      return res.status === 503 ? undefined : res;
    },
    90_000,
    `the completion of ${processId} once a worker answers`,
  );
  expect({ status: done.status, body: done.body, attempts }).toMatchObject({ status: 200 });
}

async function processStatus(token: string, processId: string): Promise<{ status: number; body: any }> {
  return http(api, 'GET', `/api/processes/${encodeURIComponent(processId)}`, { token });
}

async function completed(token: string, processId: string) {
  return eventually(
    async () => ((await processStatus(token, processId)).body.status === 'completed' ? true : undefined),
    30_000,
    `${processId} to complete`,
  );
}

const allPortsClosed = async (extra: number[] = []) => {
  for (const port of [ports.api, ports.temporal, ports.ui, ...extra]) expect(await portOpen(port)).toBe(false);
};

test('npm start runs on the embedded database, restarts crashed children, and Ctrl-C stops it within 10 s', async () => {
  const first = npmStart();
  expect(await healthy(first)).toMatchObject({ status: 'ok', database: { status: 'ok' }, temporal: { status: 'ok' } });
  expect(first.output()).toMatch(/initialising the embedded Postgres/);
  expect(first.output()).toMatch(/created the database/);
  const pgPort = Number(/embedded Postgres on 127\.0\.0\.1:(\d+)/.exec(first.output())![1]);
  expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
  // The Temporal Web UI is up on its port.
  expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);

  // The demo password was generated into the data folder, not taken from code.
  const supervisor = await login('supervisor');
  const gm = await login('gm');
  // The demo launch is running, visible through the API, with its first tasks.
  const demo = await eventually(async () => {
    const res = await processStatus(supervisor, 'sales-launch:DEMO');
    // Its first step is the general manager's approval of the overall plan (5.1).
    return res.status === 200 && res.body.steps?.['overall-plan-approval'] === 'running' ? res.body : undefined;
  }, 30_000);
  expect(demo).toMatchObject({ status: 'running', definitionKey: 'sales-launch', projectId: 'DEMO' });

  // The compose file's worker health check sees this host's worker polling.
  const workerHealth = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'worker-health.ts')], {
    cwd: ROOT,
    env: systemEnv({ TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}` }),
    encoding: 'utf8',
  });
  expect({ status: workerHealth.status, out: workerHealth.stdout.trim() }).toEqual({ status: 0, out: 'worker: polling' });

  // A worker killed outright is restarted, and the process goes on through it.
  // (Killed while idle: an activity in flight on a killed worker would only be
  // retried after its timeout, which is Temporal's business, not the supervisor's.)
  const id = await startApproval(supervisor, 'crash-check');
  await openTask(supervisor, id);
  const worker = pidOf(first.output(), 'worker');
  await killChild(first, 'worker');
  expect(first.output()).toContain(`supervisor: worker (pid ${worker}) killed by SIGKILL; restarting in`);
  await approve(supervisor, id);

  // The Temporal server killed outright: restarted on its SQLite file, health is ok again.
  const temporal = pidOf(first.output(), 'temporal');
  await killChild(first, 'temporal');
  expect(first.output()).toContain(`supervisor: temporal (pid ${temporal}) killed by SIGKILL; restarting in`);
  await eventually(async () => ((await health())?.temporal.status === 'ok' ? true : undefined), 60_000, 'Temporal healthy again');
  await approve(gm, id);
  await completed(supervisor, id);

  waiting = await startApproval(supervisor, 'restart-check');
  waitingForGm = await startApproval(supervisor, 'restart-check-gm');
  await approve(supervisor, waitingForGm);

  expect(await ctrlC(first)).toBeLessThan(10_000);
  await allPortsClosed([pgPort]);
}, 300_000);

test('a second start keeps the state; a backup restored onto a wiped data folder resumes its processes', async () => {
  const second = npmStart();
  await healthy(second);
  expect(second.output()).not.toMatch(/initialising the embedded Postgres/);
  const supervisor = await login('supervisor');
  const shown = await processStatus(supervisor, waiting);
  expect(shown.body).toMatchObject({ status: 'running', variables: { subject: 'restart-check' } });
  expect(shown.body.tasks.open).toHaveLength(1);
  // The demo launch was not started twice.
  const launches = await http(api, 'GET', '/api/processes?definition=sales-launch', { token: supervisor });
  expect(launches.body.items.map((p: { id: string }) => p.id)).toEqual(['sales-launch:DEMO']);

  // Backup while running: `restart-check` waits for the supervisor, `restart-check-gm` for the GM.
  const archive = /backup: wrote (\S+)/.exec(npmRun('backup'))![1]!;
  expect(readdirSync(join(dataDir, 'backups'))).toEqual([expect.stringMatching(/^salesproc-.*\.tar\.gz$/)]);
  // Owner-only (issue 22): the data folder (passable, not listable, as root: the
  // embedded Postgres's user walks through it), the Temporal store, the backups.
  const modeOf = (path: string) => statSync(path).mode & 0o777;
  expect(modeOf(dataDir)).toBe(process.getuid?.() === 0 ? 0o711 : 0o700);
  expect(modeOf(join(dataDir, 'temporal.db'))).toBe(0o600);
  expect(modeOf(join(dataDir, 'backups'))).toBe(0o700);
  expect(modeOf(archive)).toBe(0o600);
  // More work after the backup, which the restore must undo.
  await approve(supervisor, waiting);
  const later = await startApproval(supervisor, 'after-backup');
  expect(await ctrlC(second)).toBeLessThan(10_000);
  // Offline too: the embedded server is started just for the dump.
  expect(npmRun('backup')).toMatch(/backup: wrote /);
  expect(readdirSync(join(dataDir, 'backups'))).toHaveLength(2);

  // Wipe the database cluster and the Temporal store, then restore.
  for (const entry of readdirSync(dataDir))
    if (entry === 'postgres' || entry.startsWith('temporal.db')) rmSync(join(dataDir, entry), { recursive: true, force: true });
  expect(npmRun('restore', archive)).toMatch(/database restored[\s\S]*Temporal store restored/);

  const third = npmStart();
  try {
    await healthy(third);
    const sup = await login('supervisor');
    const gmAgain = await login('gm');
    // Back where the backup left them: the supervisor's step is open again, the later process never happened.
    expect((await processStatus(sup, waiting)).body.tasks.open).toHaveLength(1);
    expect((await processStatus(sup, later)).status).toBe(404);
    await approve(sup, waiting);
    await approve(gmAgain, waiting);
    await completed(sup, waiting);
    await approve(gmAgain, waitingForGm);
    await completed(sup, waitingForGm);
  } finally {
    expect(await ctrlC(third)).toBeLessThan(10_000);
  }
  await allPortsClosed();
}, 300_000);

test('a wrong DATABASE_URL is one line of advice, not a stack trace', async () => {
  const closed = await freePort();
  const run = npmStart({ DATABASE_URL: `postgresql://app:secret@127.0.0.1:${closed}/salesproc` });
  const code = await new Promise<number | null>((done) => run.child.once('exit', (c) => done(c)));
  expect(code).not.toBe(0);
  expect(run.output()).toContain(
    `start: Nothing accepts connections at 127.0.0.1:${closed} (DATABASE_URL): start Postgres there, fix the host and port, or unset DATABASE_URL to use the embedded database.`,
  );
  expect(run.output()).not.toMatch(/^\s+at /m);
  expect(run.output()).not.toContain('secret');
}, 60_000);
