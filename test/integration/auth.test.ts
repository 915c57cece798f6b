import { randomUUID } from 'node:crypto';
import { FailureLimiter } from '../../api/failure-limiter';
import { eventually, http, startSystem, type TestSystem } from '../support/system';

// Sign-in, sessions, password change and reset, sign-in delays, and the audit rows each writes.
// (The attacks on them — bursts, enumeration, streams after sign-out — are in auth-attacks.test.ts.)

let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem({ LOGIN_MAX_FAILURES: '3', LOGIN_DELAY_SECONDS: '60' });
});
afterAll(() => sys?.stop());

let n = 0;
/** A fresh user with a known password, so tests do not disturb the demo users. */
async function newUser(roles: string[] = ['sales_agent']) {
  const admin = await sys.login('admin');
  const username = `user${Date.now()}${n++}`;
  const password = 'first-password-1';
  const res = await admin.post('/api/users', { username, displayName: username, password, roles, projects: ['DEMO'] });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, username, password };
}

const auditCount = (where: object) => sys.prisma.auditEvent.count({ where });

test('sign-in returns a token that expires; sign-in and sign-out are audited once', async () => {
  const user = await newUser();
  const res = await http(sys.url, 'POST', '/api/auth/login', { body: { username: user.username, password: user.password } });
  expect(res.status).toBe(200);
  expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
  const me = await http(sys.url, 'GET', '/api/auth/me', { token: res.body.token });
  expect(me.body).toMatchObject({ username: user.username, roles: ['sales_agent'], projects: ['DEMO'] });
  expect(await auditCount({ actorId: user.id, action: 'auth.login' })).toBe(1);

  expect((await http(sys.url, 'POST', '/api/auth/logout', { token: res.body.token })).status).toBe(204);
  expect((await http(sys.url, 'GET', '/api/auth/me', { token: res.body.token })).status).toBe(401);
  // Signing out twice changes nothing and is not audited twice.
  expect((await http(sys.url, 'POST', '/api/auth/logout', { token: res.body.token })).status).toBe(401);
  expect(await auditCount({ actorId: user.id, action: 'auth.logout' })).toBe(1);
});

test('an expired session is refused', async () => {
  const user = await newUser();
  const session = await sys.login(user.username, user.password);
  expect((await session.get('/api/auth/me')).status).toBe(200);
  await sys.prisma.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  expect((await session.get('/api/auth/me')).status).toBe(401);
});

test('after the configured number of wrong passwords, further attempts must wait (429), then the right one works', async () => {
  const user = await newUser();
  const attempt = (password: string) => http(sys.url, 'POST', '/api/auth/login', { body: { username: user.username, password } });
  expect((await attempt('wrong-1')).status).toBe(401);
  expect((await attempt('wrong-2')).status).toBe(401);
  expect((await attempt('wrong-3')).status).toBe(401);
  // Waiting: even the right password is refused until the delay (LOGIN_DELAY_SECONDS) has passed.
  const waiting = await attempt(user.password);
  expect(waiting.status).toBe(429);
  expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThan(50);
  expect(Number(waiting.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  expect(await auditCount({ actorId: user.id, action: 'auth.login_failed' })).toBe(3);
  // The delay runs from the last charged attempt: move it back as if a minute had passed.
  const key = await new FailureLimiter(sys.prisma).nameKey('login-name', user.username);
  expect(await sys.prisma.authThrottle.findUnique({ where: { key } })).toMatchObject({ failures: 3, refused: 1 });
  await sys.prisma.authThrottle.update({ where: { key }, data: { lastAt: new Date(Date.now() - 61_000) } });
  expect((await attempt(user.password)).status).toBe(200);
  // A sign-in forgives the name's failures: the next wrong password is free again.
  expect((await attempt('wrong-4')).status).toBe(401);
});

test('unknown users get the same answer as wrong passwords', async () => {
  const res = await http(sys.url, 'POST', '/api/auth/login', { body: { username: 'nobody-here', password: 'whatever' } });
  expect(res.status).toBe(401);
  expect(res.body.error.message).toBe('Wrong user name or password');
});

test('changing the password revokes the other sessions and needs the current one', async () => {
  const user = await newUser();
  const a = await sys.login(user.username, user.password);
  const b = await sys.login(user.username, user.password);
  const wrong = await a.post('/api/auth/password', { currentPassword: 'nope', newPassword: 'second-password-2' });
  expect(wrong.status).toBe(400);
  expect(wrong.body.error.details[0].field).toBe('body.currentPassword');
  const weak = await a.post('/api/auth/password', { currentPassword: user.password, newPassword: 'short' });
  expect(weak.status).toBe(400);
  expect(weak.body.error.details[0].field).toBe('body.newPassword');
  expect((await a.post('/api/auth/password', { currentPassword: user.password, newPassword: 'second-password-2' })).status).toBe(204);
  expect((await a.get('/api/auth/me')).status).toBe(200);
  expect((await b.get('/api/auth/me')).status).toBe(401);
  await expect(sys.login(user.username, user.password)).rejects.toThrow(/401/);
  await sys.login(user.username, 'second-password-2');
  expect(await auditCount({ actorId: user.id, action: 'auth.password_change' })).toBe(1);
});

test('password reset: a one-time code through the outbox, which expires', async () => {
  const user = await newUser();
  const session = await sys.login(user.username, user.password);
  const request = (username: string) => http(sys.url, 'POST', '/api/auth/password-reset/request', { body: { username } });
  expect((await request(user.username)).status).toBe(202);
  // The answer comes before the work: the code reaches the outbox just after.
  const message = await eventually(() =>
    sys.prisma.outboxMessage
      .findFirst({ where: { recipient: user.username, subject: 'Password reset' }, orderBy: { id: 'desc' } })
      .then((m) => m ?? undefined),
  );
  // Unknown users get the same answer, and nothing is sent.
  const outboxBefore = await sys.prisma.outboxMessage.count();
  expect((await request('nobody-at-all')).status).toBe(202);
  await new Promise((r) => setTimeout(r, 500));
  expect(await sys.prisma.outboxMessage.count()).toBe(outboxBefore);

  const token = message.body.split(': ').pop()!.trim();
  const confirm = (t: string, newPassword = 'reset-password-3') =>
    http(sys.url, 'POST', '/api/auth/password-reset/confirm', { body: { token: t, newPassword } });
  expect((await confirm('not-the-code')).status).toBe(400);
  expect((await confirm(token)).status).toBe(204);
  // One time only; every session was revoked.
  const again = await confirm(token, 'another-password-4');
  expect(again.status).toBe(400);
  expect(again.body.error.details[0].field).toBe('body.token');
  expect((await session.get('/api/auth/me')).status).toBe(401);
  await sys.login(user.username, 'reset-password-3');

  // An expired code is refused.
  expect((await request(user.username)).status).toBe(202);
  const second = await eventually(() =>
    sys.prisma.outboxMessage
      .findFirst({ where: { recipient: user.username, id: { gt: message.id } }, orderBy: { id: 'desc' } })
      .then((m) => m ?? undefined),
  );
  await sys.prisma.passwordReset.updateMany({ where: { userId: user.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
  expect((await confirm(second.body.split(': ').pop()!.trim())).status).toBe(400);
  expect(await auditCount({ actorId: user.id, action: 'auth.password_reset' })).toBe(1);
});

test('a deactivated user is signed out everywhere', async () => {
  const user = await newUser();
  const session = await sys.login(user.username, user.password);
  const admin = await sys.login('admin');
  expect((await admin.send('PATCH', `/api/users/${user.id}`, { active: false })).status).toBe(200);
  expect((await session.get('/api/auth/me')).status).toBe(401);
  await expect(sys.login(user.username, user.password)).rejects.toThrow(/401/);
});

test('many failed sign-ins from one address are refused with 429 for a while', async () => {
  const limited = await startSystem({ LOGIN_MAX_FAILURES_PER_ADDRESS: '4' });
  try {
    // The failures are counted in the shared database: an address of this test's own (the
    // API trusts X-Forwarded-For from loopback, as behind a local proxy) keeps other
    // tests' failed sign-ins from 127.0.0.1 out of its count.
    const address = `2001:db8::${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`;
    const attempt = (username: string, password: string) =>
      http(limited.url, 'POST', '/api/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': address } });
    for (let i = 0; i < 4; i++) expect((await attempt(`nobody${i}`, 'guess')).status).toBe(401);
    const refused = await attempt('nobody-else', 'guess');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // While limited, even a right password from that address waits.
    expect((await attempt('agent', limited.env.password)).status).toBe(429);
  } finally {
    await limited.stop();
  }
});
