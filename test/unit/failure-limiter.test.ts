import { randomUUID } from 'node:crypto';
import { FailureLimiter } from '../../api/failure-limiter';
import { HttpError } from '../../api/errors';
import { createPrismaClient } from '../../db/client';
import { readTestEnv } from '../support/test-env';

// The limiter keeps its failures in Postgres (every API process counts the same
// ones); each test uses addresses of its own, so other rows do not matter.
const prisma = createPrismaClient(readTestEnv().databaseUrl);
afterAll(() => prisma.$disconnect());

test('refuses an address after too many failures in the window, and forgives after it', async () => {
  let now = Date.now();
  const limiter = new FailureLimiter(prisma, 3, 60_000, () => now);
  const [address, other] = [`unit-${randomUUID()}`, `unit-${randomUUID()}`];
  for (let i = 0; i < 3; i++) {
    await limiter.check(address);
    await limiter.fail(address);
    now += 1000;
  }
  const refused = await limiter.check(address).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(HttpError);
  expect((refused as HttpError).status).toBe(429);
  expect((refused as { cause: { retryAfter: number } }).cause.retryAfter).toBe(57);
  // Other addresses are not affected.
  await expect(limiter.check(other)).resolves.toBeUndefined();
  now += 58_000; // the first failure has left the window
  await expect(limiter.check(address)).resolves.toBeUndefined();
});

test('two limiters on one database, as two API processes, count the same failures', async () => {
  const address = `unit-${randomUUID()}`;
  const [a, b] = [new FailureLimiter(prisma, 4, 60_000), new FailureLimiter(prisma, 4, 60_000)];
  await a.fail(address);
  await b.fail(address);
  await a.fail(address);
  await expect(b.check(address)).resolves.toBeUndefined();
  await b.fail(address);
  await expect(a.check(address)).rejects.toMatchObject({ status: 429 });
  await expect(b.check(address)).rejects.toMatchObject({ status: 429 });
});
