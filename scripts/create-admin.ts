import { ConfigError, loadConfig, loadDotEnvFile, requireDatabaseUrl, type AppConfig } from '../config/env';
import { createPrismaClient, type PrismaClient } from '../db/client';
import { hashPassword } from '../api/services/auth-service';
import { ensureDefaultRoles } from '../api/services/user-service';
import { seedDemo } from './seed';

/**
 * `npm run create-admin` (the compose file's `setup` job): the first administrator
 * of a fresh installation, from `ADMIN_USERNAME` and `ADMIN_PASSWORD`, plus the demo
 * project and users only when `DEMO_DATA=true`. Safe to run on every deployment:
 * an existing user is left as it is, so a password changed since is not reset.
 */
export async function createAdmin(prisma: PrismaClient, config: AppConfig): Promise<'created' | 'exists'> {
  const username = config.ADMIN_USERNAME;
  const password = config.ADMIN_PASSWORD;
  if (!username || !password) {
    throw new ConfigError('ADMIN_USERNAME and ADMIN_PASSWORD (12 characters or more) must be set to create the first administrator', [
      ...(username ? [] : ['ADMIN_USERNAME: required']),
      ...(password ? [] : ['ADMIN_PASSWORD: required']),
    ]);
  }
  await ensureDefaultRoles(prisma);
  if (await prisma.user.findUnique({ where: { username } })) return 'exists';
  await prisma.user.create({
    data: {
      username,
      displayName: 'Administrator',
      email: `${username}@localhost.invalid`,
      passwordHash: await hashPassword(password),
      roles: { create: [{ roleName: 'admin' }] },
    },
  });
  return 'created';
}

async function main(): Promise<void> {
  loadDotEnvFile();
  const config = loadConfig();
  const prisma = createPrismaClient(requireDatabaseUrl(config));
  try {
    const result = await createAdmin(prisma, config);
    console.log(`create-admin: ${config.ADMIN_USERNAME} ${result === 'created' ? 'created' : 'already exists; left unchanged'}`);
    if (config.DEMO_DATA) {
      if (!config.DEMO_USER_PASSWORD)
        throw new ConfigError('DEMO_DATA=true needs DEMO_USER_PASSWORD for the demo users', ['DEMO_USER_PASSWORD: required']);
      const created = await seedDemo(prisma, config.DEMO_USER_PASSWORD);
      console.log(created.length ? `create-admin: demo data, users ${created.join(', ')}` : 'create-admin: demo data already there');
    }
  } finally {
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof ConfigError ? `create-admin: ${err.message}` : err);
    process.exit(1);
  });
}
