import type { Request } from 'express';
import { z } from 'zod';
import { FailureLimiter } from '../failure-limiter';
import { route, toHttpError } from '../http';
import type { Services } from '../services';
import { loginResponse, meResponse } from './responses';

const password = z.string().min(10, 'at least 10 characters').max(200);

/** Sign-in, sign-out, password change and reset. */
export function authRoutes(s: Services) {
  // Made on first use: building the route table reads no configuration.
  let limiter: FailureLimiter | undefined;
  /** Runs a sign-in or reset attempt, counting its failures against the caller's address. */
  const limited = async <T>(req: Request, attempt: () => Promise<T>): Promise<T> => {
    limiter ??= new FailureLimiter(s.prisma, s.config.LOGIN_MAX_FAILURES_PER_ADDRESS, 60_000);
    const address = req.ip ?? 'unknown';
    await limiter.check(address);
    try {
      return await attempt();
    } catch (err) {
      // A refusal (wrong password, bad token) counts; a fault of ours does not.
      if ((toHttpError(err)?.status ?? 500) < 500) await limiter.fail(address);
      throw err;
    }
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
      handler: async ({ req, body }) => ({ body: await limited(req, () => s.auth.login(body.username, body.password)) }),
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
      handler: async ({ principal, body }) => {
        await s.auth.changePassword(principal, body.currentPassword, body.newPassword);
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
      handler: async ({ body }) => {
        await s.auth.requestReset(body.username);
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
        await limited(req, () => s.auth.confirmReset(body.token, body.newPassword));
        return { status: 204 };
      },
    }),
  ];
}
