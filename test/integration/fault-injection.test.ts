import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createPrismaClient, type PrismaClient } from '../../db/client';
import { freePort, recreateDatabase } from '../support/global-setup';
import { expectAllCompleted, expectEachCompletedOnce, openTasks, oneTaskDefinition, pool } from '../support/completions';
import { ctrlC, healthOk, healthy, killChild, killEverything, npmStart, npmStartEnv, type Started } from '../support/npm-start';
import { RetryingClient } from '../support/retrying-client';
import { eventually, http, type HttpResult } from '../support/system';
import { readTestEnv } from '../support/test-env';

// Issue 13's fault-injection suite. The whole system as `npm start` runs it (its own
// database on the test server, its own supervised Temporal dev server, worker and
// API), 200 processes of a one-task definition, then a burst completing all 200
// tasks from a client that repeats every request with the same Idempotency-Key on
// 503, connection errors and timeouts. During the burst, `kill -9` hits the worker,
// then the API, then the Temporal server, each once the previous one is back and
// the burst has moved on; the supervisor alone brings each back. Afterwards every
// process completed, every task exactly once (one row change with its key, one
// history entry, one audit row), and health is ok.

const TASKS = 200;
/** Requests in flight at once during the starts and the burst. */
const CONCURRENCY = 8;
/** Short, so that requests waiting on a dead worker answer 503 soon and are repeated. */
const HTTP_WORKFLOW_TIMEOUT_MS = 3000;
/** Each fault strikes once this share of the burst has been answered (and the previous fault recovered). */
const FAULTS = [
  { child: 'worker', atShare: 0.1 },
  { child: 'api', atShare: 0.35 },
  { child: 'temporal', atShare: 0.6 },
] as const;
const PASSWORD = 'fault-injection-password';

let dataDir: string;
let databaseUrl: string;
let api: string;
let run: Started | undefined;
let prisma: PrismaClient | undefined;
let temporal: Connection | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'salesproc-faults-'));
  chmodSync(dataDir, 0o755);
  // A database of its own on the test server, named after the tests' one.
  const url = new URL(readTestEnv().databaseUrl);
  url.pathname = `${url.pathname}_fault_injection`;
  databaseUrl = url.toString();
  await recreateDatabase(databaseUrl);
});

afterAll(async () => {
  if (run) killEverything(run);
  await temporal?.close();
  await prisma?.$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

const oneTask = oneTaskDefinition('fault-one-task');

test('kill -9 of the worker, the API and the Temporal server during 200 retried completions: each task completes exactly once', async () => {
  const t0 = Date.now();
  const ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
  api = `http://127.0.0.1:${ports.api}`;
  run = npmStart(
    npmStartEnv(dataDir, ports, {
      DATABASE_URL: databaseUrl,
      DEMO_USER_PASSWORD: PASSWORD,
      DEMO_LAUNCH: 'false',
      HTTP_WORKFLOW_TIMEOUT_MS: String(HTTP_WORKFLOW_TIMEOUT_MS),
      LOG_LEVEL: 'warn',
    }),
  );
  const system = run;
  await healthy(system, api);
  const tUp = Date.now();
  prisma = createPrismaClient(databaseUrl);
  const db = prisma;

  const login = async (username: string) => {
    const res = await http<{ token: string }>(api, 'POST', '/api/auth/login', { body: { username, password: PASSWORD } });
    expect(res.status).toBe(200);
    return res.body.token;
  };
  const admin = await login('admin');
  const supervisor = await login('supervisor');
  expect((await http(api, 'POST', '/api/definitions', { token: admin, body: { definition: oneTask } })).status).toBe(201);

  // 200 processes, each with one open task.
  const client = new RetryingClient(api);
  const processIds: string[] = [];
  await pool(
    Array.from({ length: TASKS }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const res = await client.send('POST', '/api/processes', {
        token: supervisor,
        key: `fault-start-${i}`,
        body: { definition: oneTask.key, projectId: 'DEMO', input: {} },
      });
      expect([200, 201]).toContain(res.status);
      processIds.push(res.body.id);
    },
  );
  expect(new Set(processIds).size).toBe(TASKS);
  const tasks = await openTasks(db, processIds);
  const tStarted = Date.now();

  // The burst: every task completed once, by a client that repeats with the same key.
  const keys = new Map(tasks.map((t) => [t.id, randomUUID()]));
  const answers = new Map<string, HttpResult>();
  let answered = 0;
  const burst = pool(tasks, CONCURRENCY, async (task) => {
    const res = await client.send('POST', `/api/tasks/${task.id}/complete`, {
      token: supervisor,
      key: keys.get(task.id)!,
      body: { outcome: 'done', data: {} },
    });
    answers.set(task.id, res);
    answered += 1;
  });

  // The faults, one at a time: each strikes while completions are outstanding, and the
  // next waits until the supervisor restarted the previous child and the burst moved on.
  const faults: { child: string; atAnswered: number; restartedMs: number; progressMs: number }[] = [];
  const chaos = (async () => {
    for (const { child, atShare } of FAULTS) {
      await eventually(async () => (answered >= atShare * TASKS ? true : undefined), 120_000, `${atShare * TASKS} answers`);
      const atAnswered = answered;
      const killed = Date.now();
      await killChild(system, child);
      const restartedMs = Date.now() - killed;
      // Recovered: completions are answered again (with the Temporal server, also health).
      await eventually(async () => (answered >= atAnswered + 5 ? true : undefined), 120_000, `completions after killing the ${child}`);
      faults.push({ child, atAnswered, restartedMs, progressMs: Date.now() - killed });
    }
  })();
  await Promise.all([burst, chaos]);
  const tBurst = Date.now();

  // Every fault struck during the burst, and the supervisor restarted each child by itself.
  expect(faults.map((f) => f.child)).toEqual(FAULTS.map((f) => f.child));
  for (const f of faults) {
    expect(f.atAnswered).toBeLessThan(TASKS);
    expect(system.output()).toMatch(new RegExp(`supervisor: ${f.child} \\(pid \\d+\\) killed by SIGKILL; restarting in`));
  }
  // The client got an answer for every task, each a success naming its task.
  expect(answers.size).toBe(TASKS);
  const notOk = [...answers].filter(([id, res]) => res.status !== 200 || res.body.taskId !== id);
  expect(notOk.map(([id, res]) => ({ id, status: res.status, body: res.body }))).toEqual([]);

  // Every process completed, in the database and in Temporal.
  temporal = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
  await expectAllCompleted(db, new Client({ connection: temporal }), processIds);

  // Exactly one completion per task: the row changed once under the client's key, one history entry, one audit row.
  await expectEachCompletedOnce(db, processIds, keys);

  // The system is whole again without a manual step.
  expect(await healthOk(api)).toMatchObject({ status: 'ok', database: { status: 'ok' }, temporal: { status: 'ok' } });
  const tEnd = Date.now();
  console.log(
    [
      `fault injection: ${TASKS} tasks, ${CONCURRENCY} at once; system up in ${tUp - t0} ms, processes started in ${tStarted - tUp} ms,`,
      `burst of completions ${tBurst - tStarted} ms, checks ${tEnd - tBurst} ms, total ${tEnd - t0} ms`,
      ...faults.map(
        (f) =>
          `  kill -9 ${f.child} after ${f.atAnswered} answers: restarted in ${f.restartedMs} ms, completions again after ${f.progressMs} ms`,
      ),
      `  client: ${JSON.stringify(client.counts)}`,
    ].join('\n'),
  );

  expect(await ctrlC(system)).toBeLessThan(10_000);
  run = undefined;
}, 300_000);
