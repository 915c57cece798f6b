import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../config/env';
import type { PrismaClient } from '../../db/client';
import { FailureLimiter } from '../failure-limiter';
import { NotFound } from './errors';
import type { AuditService } from './audit-service';
import { hashPassword, type Principal } from './auth-service';

/** An admin's actions on another user's sign-in. */
export class AccountService {
  private readonly limiter: FailureLimiter;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
    config: Pick<AppConfig, 'AUTH_HASH_KEY'>,
  ) {
    this.limiter = new FailureLimiter(prisma, { hashKey: config.AUTH_HASH_KEY });
  }

  /**
   * Sets a temporary password (the admin's, or a generated one returned once), signs
   * the user out everywhere (which ends their open streams), forgets their failed
   * sign-ins (so no delay keeps them waiting) and flags the account so that the user
   * must choose a new password at the next sign-in before doing anything else.
   */
  async resetPassword(principal: Principal, userId: string, temporaryPassword?: string): Promise<{ temporaryPassword: string }> {
    const password = temporaryPassword ?? randomBytes(12).toString('base64url');
    const passwordHash = await hashPassword(password);
    const username = await this.prisma.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, username: true } });
      if (!user) throw new NotFound('User');
      await tx.user.update({
        where: { id: userId },
        data: { passwordHash, passwordChangedAt: new Date(), mustChangePassword: true },
      });
      await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
      await this.audit.append(tx, { actor: principal, action: 'auth.admin_password_reset', objectType: 'user', objectId: userId });
      return user.username;
    });
    await this.limiter.clear([await this.limiter.nameKey('login-name', username)]);
    return { temporaryPassword: password };
  }
}
