import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../db/client';
import { NotFound } from './errors';
import type { AuditService } from './audit-service';
import { hashPassword, type Principal } from './auth-service';

/** An admin's actions on another user's sign-in. */
export class AccountService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
  ) {}

  /**
   * Sets a temporary password (the admin's, or a generated one returned once), signs
   * the user out everywhere, clears a lockout and flags the account so that the user
   * must choose a new password at the next sign-in before doing anything else.
   */
  async resetPassword(principal: Principal, userId: string, temporaryPassword?: string): Promise<{ temporaryPassword: string }> {
    const password = temporaryPassword ?? randomBytes(12).toString('base64url');
    const passwordHash = await hashPassword(password);
    await this.prisma.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
      if (!user) throw new NotFound('User');
      await tx.user.update({
        where: { id: userId },
        data: { passwordHash, passwordChangedAt: new Date(), mustChangePassword: true, failedLoginCount: 0, lockedUntil: null },
      });
      await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
      await this.audit.append(tx, { actor: principal, action: 'auth.admin_password_reset', objectType: 'user', objectId: userId });
    });
    return { temporaryPassword: password };
  }
}
