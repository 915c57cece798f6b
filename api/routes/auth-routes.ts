import type { Request } from 'express';
import { z } from 'zod';
import { FailureLimiter, type ThrottleKey, type ThrottlePolicy } from '../failure-limiter';
import { route, toHttpError } from '../http';
import type { Services } from '../services';
import { loginResponse, meResponse } from './responses';

const password = z.string().min(10, 'at least 10 characters').max(200);

/** Sign-in, sign-out, password change and reset. */
export function authRoutes(s: Services) {
  // Made on first use: building the route table reads no configuration.
  let made: {
    limiter: FailureLimiter;
    login: ThrottlePolicy;
    address: ThrottlePolicy;
    resetName: ThrottlePolicy;
    resetAddress: ThrottlePolicy;
  };
  const limits = () => {
    const c = s.config;
    const delays = { baseDelayMs: c.LOGIN_DELAY_SECONDS * 1000, maxDelayMs: c.LOGIN_MAX_DELAY_SECONDS * 1000 };
    // A reset request costs an e-mail to someone: after the free ones, 10 min, 20 min, 40 min, 1 h apart.
    const reset = (perHour: number): ThrottlePolicy => ({
      free: perHour,
      baseDelayMs: 600_000,
      maxDelayMs: 3_600_000,
      forgiveMs: 3_600_000 / perHour,
    });
    return (made ??= {
      limiter: new FailureLimiter(s.prisma, { hashKey: c.AUTH_HASH_KEY }),
      // A name's failures are forgiven slowly (one per longest delay): a guesser settles at about one guess per that.
      login: { free: c.LOGIN_MAX_FAILURES, ...delays, forgiveMs: c.LOGIN_MAX_DELAY_SECONDS * 1000 },
      // An address's quickly (its quota per minute): an office behind one address keeps signing in.
      address: { free: c.LOGIN_MAX_FAILURES_PER_ADDRESS, ...delays, forgiveMs: 60_000 / c.LOGIN_MAX_FAILURES_PER_ADDRESS },
      resetName: reset(c.PASSWORD_RESET_MAX_PER_USER),
      resetAddress: reset(c.PASSWORD_RESET_MAX_PER_ADDRESS),
    });
  };
  /** The counters of a password attempt: the typed name's (when there is one) and the address's. */
  const passwordKeys = async (req: Request, username?: string): Promise<{ name?: ThrottleKey; address: ThrottleKey }> => {
    const l = limits();
    return {
      ...(username === undefined ? {} : { name: { key: await l.limiter.nameKey('login-name', username), policy: l.login } }),
      address: { key: `login-address:${req.ip ?? 'unknown'}`, policy: l.address },
    };
  };
  /**
   * Runs a password attempt (sign-in, password change, reset confirmation) charged
   * to its counters first: refused with 429 while a delay runs, so a burst cannot all
   * be evaluated. A good attempt forgives the name's failures and its own charge to
   * the address; a fault of ours (5xx) is not the caller's failure and is forgiven.
   */
  const limited = async <T>(req: Request, username: string | undefined, attempt: () => Promise<T>): Promise<T> => {
    const { limiter } = limits();
    const { name, address } = await passwordKeys(req, username);
    await limiter.charge(name ? [name, address] : [address]);
    let result: T;
    try {
      result = await attempt();
    } catch (err) {
      if ((toHttpError(err)?.status ?? 500) >= 500) await limiter.refund(name ? [name.key, address.key] : [address.key]);
      throw err;
    }
    await limiter.refund([address.key]);
    if (name) await limiter.clear([name.key]);
    return result;
  };
  return [
    route({
      id: 'auth.login',
      scope: 'own',
      response: loginResponse,
      method: 'post',
      path: '/api/auth/login',
      access: 'public',
      summary: 'Sign in with user name and password; returns a bearer token',
      body: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
      handler: async ({ req, body }) => ({ body: await limited(req, body.username, () => s.auth.login(body.username, body.password)) }),
    }),
    route({
      id: 'auth.logout',
      scope: 'own',
      statuses: [204],
      method: 'post',
      path: '/api/auth/logout',
      access: 'signed-in',
      summary: 'Revoke the current token',
      handler: async ({ principal }) => {
        await s.auth.logout(principal);
        return { status: 204 };
      },
    }),
    route({
      id: 'auth.me',
      scope: 'own',
      response: meResponse,
      method: 'get',
      path: '/api/auth/me',
      access: 'signed-in',
      summary: 'The signed-in user, with roles, permissions and projects',
      handler: async ({ principal: p }) => ({
        body: {
          id: p.userId,
          username: p.username,
          displayName: p.displayName,
          roles: p.roles,
          permissions: [...p.permissions].sort(),
          projects: p.projects === 'all' ? 'all' : [...p.projects].sort(),
          mustChangePassword: p.mustChangePassword,
        },
      }),
    }),
    route({
      id: 'auth.password',
      scope: 'own',
      statuses: [204],
      method: 'post',
      path: '/api/auth/password',
      access: 'signed-in',
      summary: 'Change the password; other sessions are revoked',
      body: z.strictObject({ currentPassword: z.string().min(1), newPassword: password }),
      handler: async ({ req, principal, body }) => {
        // Wrong current passwords count as failed sign-ins of the account: a stolen
        // session must not become a way to guess its password without limit.
        await limited(req, principal.username, () => s.auth.changePassword(principal, body.currentPassword, body.newPassword));
        return { status: 204 };
      },
    }),
    route({
      id: 'auth.reset.request',
      scope: 'own',
      statuses: [202],
      method: 'post',
      path: '/api/auth/password-reset/request',
      access: 'public',
      summary: 'Send a one-time reset code (to the outbox); the answer is the same for unknown users',
      body: z.strictObject({ username: z.string().min(1).max(100) }),
      handler: async ({ req, body }) => {
        // Every request is charged (none is forgiven: each may send an e-mail), per typed
        // name — unknown names alike — and per address, before anything is looked up.
        const l = limits();
        await l.limiter.charge([
          { key: await l.limiter.nameKey('reset-name', body.username), policy: l.resetName },
          { key: `reset-address:${req.ip ?? 'unknown'}`, policy: l.resetAddress },
        ]);
        // Answered before the user is even looked up: the same answer in the same time
        // whether the name exists or not. The code goes out through the outbox.
        void s.auth.requestReset(body.username).catch((err: unknown) => req.log.error({ err }, 'password reset request failed'));
        return { status: 202, body: { accepted: true } };
      },
    }),
    route({
      id: 'auth.reset.confirm',
      scope: 'own',
      statuses: [204],
      method: 'post',
      path: '/api/auth/password-reset/confirm',
      access: 'public',
      summary: 'Set a new password with a reset code',
      body: z.strictObject({ token: z.string().min(1).max(200), newPassword: password }),
      handler: async ({ req, body }) => {
        await limited(req, undefined, () => s.auth.confirmReset(body.token, body.newPassword));
        return { status: 204 };
      },
    }),
  ];
}
