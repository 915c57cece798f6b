import { createHash, randomBytes } from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import type { AppConfig } from '../../config/env';
import type { PrismaClient } from '../../db/client';
import { enqueueNotification } from '../../notifications/messages';
import { InvalidInput, NotSignedIn } from './errors';
import type { Permission } from '../permissions';
import type { AuditService } from './audit-service';

/** The signed-in caller of a request. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  sessionId: string;
  roles: string[];
  permissions: ReadonlySet<Permission>;
  /** The projects whose data the caller may see; `'all'` with `projects.all`. */
  projects: ReadonlySet<string> | 'all';
  /** An admin reset the password: only changing it (and `me`, sign-out) is allowed until then. */
  mustChangePassword: boolean;
}

/** Hashes a password with argon2id (the OWASP-recommended parameters are the package's defaults). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id });
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');

// Verifying against a real hash when the user does not exist (or may not sign in)
// keeps the response time the same, so timing does not reveal which names exist.
let decoyHash: Promise<string> | undefined;

/**
 * The actor name of an audit row about a sign-in with an unknown user name. The typed
 * name itself is never stored: it is often a password typed into the wrong field.
 */
export const UNKNOWN_USER_NAME = '(unknown user name)';

/**
 * Sign-in, sessions, password change and reset. How often each may be tried is the
 * routes' business (`api/routes/auth-routes.ts` with `api/failure-limiter.ts`), which
 * charge every attempt before it gets here.
 */
export class AuthService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /**
   * Checks the password and opens a session. Every refusal — unknown name, wrong
   * password, deactivated account — is the same 401 with the same message after the
   * same work: one look-up, one argon2 verification (against a decoy hash when there
   * is no user), one audit row. So neither the answer nor its time tells which names
   * exist or which accounts are deactivated. (Delays after repeated failures are the
   * limiter's, keyed by the typed name, so they too treat unknown names alike.)
   */
  async login(username: string, password: string): Promise<{ token: string; expiresAt: Date; mustChangePassword: boolean }> {
    const user = await this.prisma.user.findUnique({ where: { username } });
    decoyHash ??= hashPassword(newToken());
    const verified = await verify(user?.passwordHash ?? (await decoyHash), password);
    if (!user || !user.active || !verified) {
      const reason = !user ? 'unknown user' : !user.active ? 'inactive' : 'wrong password';
      await this.prisma.$transaction((tx) =>
        this.audit.append(tx, {
          actor: user ? { userId: user.id, username: user.username } : { userId: null, username: UNKNOWN_USER_NAME },
          action: 'auth.login_failed',
          objectType: 'user',
          objectId: user?.id ?? null,
          after: { reason },
        }),
      );
      throw new NotSignedIn('Wrong user name or password');
    }
    const now = new Date();
    const token = newToken();
    const expiresAt = new Date(now.getTime() + this.config.SESSION_TTL_MINUTES * 60_000);
    await this.prisma.$transaction(async (tx) => {
      const session = await tx.session.create({ data: { userId: user.id, tokenHash: sha256(token), expiresAt } });
      await this.audit.append(tx, {
        actor: { userId: user.id, username: user.username },
        action: 'auth.login',
        objectType: 'session',
        objectId: session.id,
      });
    });
    return { token, expiresAt, mustChangePassword: user.mustChangePassword };
  }

  /**
   * The principal of a bearer token, if its session is open and unexpired. Every
   * request asks, so it is one statement (the user's roles, permissions and projects
   * aggregated beside the session) rather than the ORM's query per relation.
   */
  async authenticate(token: string): Promise<Principal | undefined> {
    const [row] = await this.prisma.$queryRaw<
      {
        sessionId: string;
        userId: string;
        username: string;
        displayName: string;
        mustChangePassword: boolean;
        roles: string[];
        permissions: string[];
        projects: string[];
      }[]
    >`
      SELECT s.id AS "sessionId", u.id AS "userId", u.username, u.display_name AS "displayName",
             u.must_change_password AS "mustChangePassword",
             ARRAY(SELECT ur.role_name FROM user_roles ur WHERE ur.user_id = u.id ORDER BY ur.role_name) AS roles,
             ARRAY(SELECT DISTINCT p FROM user_roles ur JOIN roles r ON r.name = ur.role_name, unnest(r.permissions) p
                   WHERE ur.user_id = u.id) AS permissions,
             ARRAY(SELECT pm.project_id FROM project_members pm WHERE pm.user_id = u.id) AS projects
      FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = ${sha256(token)} AND s.revoked_at IS NULL AND s.expires_at > ${new Date()}::timestamptz AND u.active`;
    if (!row) return undefined;
    const permissions = new Set(row.permissions as Permission[]);
    return {
      userId: row.userId,
      username: row.username,
      displayName: row.displayName,
      sessionId: row.sessionId,
      roles: row.roles,
      permissions,
      projects: permissions.has('projects.all') ? 'all' : new Set(row.projects),
      mustChangePassword: row.mustChangePassword,
    };
  }

  /** Revokes the caller's session. Idempotent: revoking twice keeps the first time. */
  async logout(principal: Principal): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const changed = await tx.session.updateMany({ where: { id: principal.sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
      if (changed.count)
        await this.audit.append(tx, { actor: principal, action: 'auth.logout', objectType: 'session', objectId: principal.sessionId });
    });
  }

  /** Changes the caller's password and revokes their other sessions. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.prisma.user.findUniqueOrThrow({ where: { id: principal.userId } });
    if (!(await verify(user.passwordHash, currentPassword))) {
      // Audited like a failed sign-in: someone holding the session may be guessing.
      await this.prisma.$transaction((tx) =>
        this.audit.append(tx, {
          actor: principal,
          action: 'auth.password_change_failed',
          objectType: 'user',
          objectId: user.id,
          after: { reason: 'wrong password' },
        }),
      );
      throw new InvalidInput('The current password is wrong', [{ field: 'currentPassword', reason: 'wrong password' }]);
    }
    const passwordHash = await hashPassword(newPassword);
    await this.prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: new Date(), mustChangePassword: false } });
      await tx.session.updateMany({
        where: { userId: user.id, revokedAt: null, id: { not: principal.sessionId } },
        data: { revokedAt: new Date() },
      });
      await this.audit.append(tx, { actor: principal, action: 'auth.password_change', objectType: 'user', objectId: user.id });
    });
  }

  /**
   * Starts a password reset: a one-time token, valid for `PASSWORD_RESET_TTL_MINUTES`,
   * written into the outbox as a typed message that the notification dispatcher
   * e-mails to the user. Says nothing about whether the user exists: the route answers
   * before this runs (`auth.reset.request`), so neither the answer nor its time
   * depends on it.
   */
  async requestReset(username: string): Promise<void> {
    const user = await this.prisma.user.findUnique({ where: { username } });
    if (!user || !user.active) return;
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.config.PASSWORD_RESET_TTL_MINUTES * 60_000);
    await this.prisma.$transaction(async (tx) => {
      const reset = await tx.passwordReset.create({ data: { userId: user.id, tokenHash: sha256(token), expiresAt } });
      await enqueueNotification(tx, {
        kind: 'auth.password_reset',
        dedupeKey: `password_reset:${reset.id}`,
        userId: user.id,
        payload: { code: token, expiresAt: expiresAt.toISOString() },
        summary: {
          channel: 'email',
          recipient: user.email ?? user.username,
          subject: 'Password reset',
          body: `Use this code to reset your password before ${expiresAt.toISOString()}: ${token}`,
        },
      });
      await this.audit.append(tx, {
        actor: { userId: user.id, username: user.username },
        action: 'auth.reset_requested',
        objectType: 'password_reset',
        objectId: reset.id,
      });
    });
  }

  /** Completes a reset: the token works once, before it expires; every session is revoked. */
  async confirmReset(token: string, newPassword: string): Promise<void> {
    const reset = await this.prisma.passwordReset.findUnique({ where: { tokenHash: sha256(token) }, include: { user: true } });
    const invalid = new InvalidInput('The reset token is invalid, used or expired', [
      { field: 'token', reason: 'invalid, used or expired' },
    ]);
    if (!reset || reset.usedAt || reset.expiresAt <= new Date()) throw invalid;
    const passwordHash = await hashPassword(newPassword);
    await this.prisma.$transaction(async (tx) => {
      // Claim the token in the same transaction: of two concurrent confirmations only one changes the row.
      const claimed = await tx.passwordReset.updateMany({ where: { id: reset.id, usedAt: null }, data: { usedAt: new Date() } });
      if (claimed.count === 0) throw invalid;
      await tx.user.update({
        where: { id: reset.userId },
        data: { passwordHash, passwordChangedAt: new Date(), mustChangePassword: false },
      });
      await tx.session.updateMany({ where: { userId: reset.userId, revokedAt: null }, data: { revokedAt: new Date() } });
      await this.audit.append(tx, {
        actor: { userId: reset.userId, username: reset.user.username },
        action: 'auth.password_reset',
        objectType: 'user',
        objectId: reset.userId,
      });
    });
  }
}
