import { FailureLimiter } from '../../api/failure-limiter';
import { HttpError } from '../../api/errors';

test('refuses an address after too many failures in the window, and forgives after it', () => {
  let now = 1_000_000;
  const limiter = new FailureLimiter(3, 60_000, () => now);
  for (let i = 0; i < 3; i++) {
    limiter.check('10.0.0.1');
    limiter.fail('10.0.0.1');
    now += 1000;
  }
  expect(() => limiter.check('10.0.0.1')).toThrow(HttpError);
  try {
    limiter.check('10.0.0.1');
  } catch (err) {
    expect((err as HttpError).status).toBe(429);
    expect((err as { cause: { retryAfter: number } }).cause.retryAfter).toBe(57);
  }
  // Other addresses are not affected.
  expect(() => limiter.check('10.0.0.2')).not.toThrow();
  now += 58_000; // the first failure has left the window
  expect(() => limiter.check('10.0.0.1')).not.toThrow();
});
