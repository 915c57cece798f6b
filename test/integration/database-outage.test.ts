import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { http, startSystem, type TestSystem } from '../support/system';
import { readTestEnv } from '../support/test-env';

// The database going away under load: every connection of the API to Postgres is cut
// and new ones are refused for a while, in the middle of a burst of reads and
// registrations. Every answer must be a success or a 503 with Retry-After (never a
// 500: a client repeats a 503, not a 500), and once the database is back every
// registration repeated after a 503 exists exactly once.

let proxy: TcpProxy;
let sys: TestSystem;

beforeAll(async () => {
  const direct = new URL(readTestEnv().databaseUrl);
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const relayed = new URL(direct);
  relayed.port = String(proxy.port);
  // The API reaches Postgres through the relay; the worker and the test itself do not.
  sys = await startSystem({ DATABASE_URL: relayed.toString() });
});
afterAll(async () => {
  await sys?.stop();
  await proxy?.close();
});

test('an unreachable database is a 503 with Retry-After, never a 500, and nothing is lost', async () => {
  const token = (await sys.login('agent')).token;
  const run = String(Date.now() % 1e6).padStart(6, '0');
  const uniquePhones = Array.from({ length: 60 }, (_, i) => `136${run}${String(i).padStart(2, '0')}`);
  const statuses: number[] = [];
  const missingRetryAfter: number[] = [];
  let answered = 0;
  let outage: Promise<void> | undefined;

  /** One request, repeated after a 503 or a lost connection until it is answered otherwise (at most 40 sends). */
  async function until(method: string, path: string, body?: unknown): Promise<number> {
    for (let attempt = 0; attempt < 40; attempt++) {
      const res = await http(sys.url, method, path, { token, body, timeoutMs: 10_000 }).catch(() => undefined);
      if (!res) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      statuses.push(res.status);
      if (res.status === 503) {
        if (!res.headers.get('retry-after')) missingRetryAfter.push(res.status);
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      answered++;
      // A third of the way in, the database goes away for two seconds.
      if (answered === 20 && !outage) {
        proxy.down();
        outage = new Promise((resolve) =>
          setTimeout(() => {
            proxy.up();
            resolve();
          }, 2000),
        );
      }
      return res.status;
    }
    throw new Error(`${method} ${path} never answered`);
  }

  const work = uniquePhones.flatMap((phone) => [
    () => until('GET', '/api/tasks?mine=true'),
    () => until('POST', '/api/customers', { projectId: 'DEMO', name: `断线 ${phone.slice(-4)}`, phone }),
    () => until('GET', '/api/customers?projectId=DEMO&owner=me'),
  ]);
  const finals: number[] = [];
  // Eight at a time, as a busy office would.
  for (let i = 0; i < work.length; i += 8) finals.push(...(await Promise.all(work.slice(i, i + 8).map((f) => f()))));
  await outage;

  expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
  // The outage was seen by the API (otherwise this test proves nothing).
  expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
  expect(missingRetryAfter).toEqual([]);
  expect(finals.every((s) => s === 200 || s === 201)).toBe(true);
  // Every registration exists exactly once.
  const rows = await sys.prisma.customer.findMany({ where: { projectId: 'DEMO', phone: { in: uniquePhones } } });
  expect(rows.length).toBe(uniquePhones.length);
  // And the API serves again.
  expect((await http(sys.url, 'GET', '/api/auth/me', { token })).status).toBe(200);
});
