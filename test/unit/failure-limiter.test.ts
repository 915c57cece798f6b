import { randomUUID } from 'node:crypto';
import { delayAfter, FailureLimiter, type ThrottlePolicy } from '../../api/failure-limiter';
import { HttpError } from '../../api/errors';
import { createPrismaClient } from '../../db/client';
import { readTestEnv } from '../support/test-env';

// The limiter keeps its counters in Postgres (every API process counts the same
// attempts); each test uses keys of its own, so other rows do not matter.
const prisma = createPrismaClient(readTestEnv().databaseUrl);
afterAll(() => prisma.$disconnect());

const policy: ThrottlePolicy = { free: 3, baseDelayMs: 2000, maxDelayMs: 60_000, forgiveMs: 60_000 };
const key = () => ({ key: `unit:${randomUUID()}`, policy });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: unknown) => err as HttpError,
  );

test('delays double after the free attempts, up to the cap', () => {
  expect([0, 1, 2, 3, 4, 5, 6, 9, 60].map((n) => delayAfter(policy, n))).toEqual([0, 0, 0, 2000, 4000, 8000, 16_000, 60_000, 60_000]);
});

test('after the free attempts each further one waits a growing delay; refusals do not lengthen it', async () => {
  let now = Date.now();
  const limiter = new FailureLimiter(prisma, { now: () => now });
  const k = key();
  for (let i = 1; i <= 3; i++) expect((await limiter.charge([k])).get(k.key)).toBe(i);
  const refused = await refusal(limiter.charge([k]));
  expect(refused).toBeInstanceOf(HttpError);
  expect(refused).toMatchObject({ status: 429, retryAfter: 2 });
  now += 1000;
  expect(await refusal(limiter.charge([k]))).toMatchObject({ status: 429, retryAfter: 1 });
  now += 1000; // the 2 s after the third attempt have passed
  expect((await limiter.charge([k])).get(k.key)).toBe(4);
  now += 3999;
  expect(await refusal(limiter.charge([k]))).toMatchObject({ status: 429, retryAfter: 1 });
  now += 1;
  expect((await limiter.charge([k])).get(k.key)).toBe(5);
  const row = await prisma.authThrottle.findUniqueOrThrow({ where: { key: k.key } });
  expect(row).toMatchObject({ failures: 5, refused: 3 });
});

test('one attempt is forgiven per forgiveMs; a refund forgives one, clear all', async () => {
  let now = Date.now();
  const limiter = new FailureLimiter(prisma, { now: () => now });
  const k = key();
  for (let i = 0; i < 3; i++) await limiter.charge([k]);
  now += 60_000; // one forgiven: 2 counted, the next is free
  expect((await limiter.charge([k])).get(k.key)).toBe(3);
  await limiter.refund([k.key]);
  expect((await limiter.charge([k])).get(k.key)).toBe(3);
  await limiter.clear([k.key]);
  expect((await limiter.charge([k])).get(k.key)).toBe(1);
});

test('several keys: charged together, or none of them when one refuses', async () => {
  const now = Date.now();
  const limiter = new FailureLimiter(prisma, { now: () => now });
  const [a, b] = [key(), key()];
  for (let i = 0; i < 3; i++) await limiter.charge([a]);
  expect(await refusal(limiter.charge([a, b]))).toMatchObject({ status: 429 });
  expect(await prisma.authThrottle.findUnique({ where: { key: b.key } })).toMatchObject({ failures: 0 });
});

test('concurrent attempts on one key, as from several API processes: only the free ones are charged', async () => {
  const now = Date.now();
  const limiters = [0, 1, 2].map(() => new FailureLimiter(createPrismaClientOnce(), { now: () => now }));
  const k = key();
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => refusal(limiters[i % 3]!.charge([k]))));
  expect(results.filter((r) => r === undefined)).toHaveLength(3);
  expect(results.filter((r) => r?.status === 429)).toHaveLength(17);
  expect(await prisma.authThrottle.findUniqueOrThrow({ where: { key: k.key } })).toMatchObject({ failures: 3, refused: 17 });
});

test('user names are counted under a keyed hash, the same in every process, never the name', async () => {
  const name = `correct horse battery staple ${randomUUID()}`;
  const [a, b] = [new FailureLimiter(prisma), new FailureLimiter(prisma)];
  const key = await a.nameKey('login-name', name);
  expect(key).toBe(await b.nameKey('login-name', name));
  expect(key).not.toContain('horse');
  expect(key).not.toBe(await new FailureLimiter(prisma, { hashKey: 'k'.repeat(32) }).nameKey('login-name', name));
});

const extraClients: ReturnType<typeof createPrismaClient>[] = [];
function createPrismaClientOnce() {
  const client = createPrismaClient(readTestEnv().databaseUrl);
  extraClients.push(client);
  return client;
}
afterAll(() => Promise.all(extraClients.map((c) => c.$disconnect())));
