import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, loadDotEnvFile, requireDatabaseUrl, type AppConfig } from '../config/env';
import { createPrismaClient, type PrismaClient } from '../db/client';
import { hashPassword } from '../api/services/auth-service';
import { ensureDefaultRoles } from '../api/services/user-service';
import type { RoleName } from '../api/permissions';

/** The demo project every demo user belongs to. */
export const DEMO_PROJECT = { id: 'DEMO', name: '演示项目 滨江花园一期' };

/** One demo user per role: user name → role. */
export const DEMO_USERS: Record<string, { role: RoleName; displayName: string }> = {
  agent: { role: 'sales_agent', displayName: '张伟' },
  supervisor: { role: 'sales_supervisor', displayName: '李娜' },
  ae: { role: 'sales_ae', displayName: '王芳' },
  marketing: { role: 'marketing', displayName: '刘洋' },
  gm: { role: 'general_manager', displayName: '陈刚' },
  management: { role: 'management', displayName: '赵敏' },
  service: { role: 'sales_service', displayName: '孙丽' },
  pm: { role: 'project_manager', displayName: '周杰' },
  designer: { role: 'design_consultant', displayName: '吴静' },
  admin: { role: 'admin', displayName: '系统管理员' },
};

/**
 * The demo users' password: `DEMO_USER_PASSWORD` when set, otherwise one generated
 * on first use and kept in `<DATA_DIR>/demo-password` (never in the repository).
 */
export function demoPassword(config: AppConfig): { password: string; source: string } {
  if (config.DEMO_USER_PASSWORD) return { password: config.DEMO_USER_PASSWORD, source: 'DEMO_USER_PASSWORD' };
  const file = join(config.DATA_DIR, 'demo-password');
  if (!existsSync(file)) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    writeFileSync(file, `${randomBytes(12).toString('base64url')}\n`, { mode: 0o600 });
  }
  return { password: readFileSync(file, 'utf8').trim(), source: file };
}

/** The demo project's units: two buildings, 12 floors, two units a floor. */
export function demoUnits(projectId = DEMO_PROJECT.id) {
  const units = [];
  for (const building of ['A', 'B']) {
    for (let floor = 1; floor <= 12; floor++) {
      for (const [n, layout, area] of [
        [1, '3室2厅2卫', 128.5],
        [2, '2室2厅1卫', 89.2],
      ] as const) {
        const price = Math.round(area * (21000 + floor * 150 + (building === 'B' ? 800 : 0)));
        units.push({ projectId, building, unitNo: `${floor}0${n}`, floor, area, layout, listPrice: price });
      }
    }
  }
  return units;
}

/**
 * Creates the default roles, the demo project with its units, and one user per
 * role. Idempotent: what exists is left alone (a changed password stays changed).
 */
export async function seedDemo(prisma: PrismaClient, password: string): Promise<string[]> {
  await ensureDefaultRoles(prisma);
  await prisma.project.upsert({ where: { id: DEMO_PROJECT.id }, create: DEMO_PROJECT, update: {} });
  await prisma.unit.createMany({ data: demoUnits(), skipDuplicates: true });
  const created: string[] = [];
  const passwordHash = await hashPassword(password);
  for (const [username, user] of Object.entries(DEMO_USERS)) {
    if (await prisma.user.findUnique({ where: { username } })) continue;
    await prisma.user.create({
      data: {
        username,
        displayName: user.displayName,
        email: `${username}@demo.invalid`,
        passwordHash,
        roles: { create: [{ roleName: user.role }] },
        memberships: { create: [{ projectId: DEMO_PROJECT.id }] },
      },
    });
    created.push(username);
  }
  return created;
}

async function main(): Promise<void> {
  loadDotEnvFile();
  const config = loadConfig();
  const prisma = createPrismaClient(requireDatabaseUrl(config));
  try {
    const { password, source } = demoPassword(config);
    const created = await seedDemo(prisma, password);
    console.log(created.length ? `seed: created users ${created.join(', ')} (password from ${source})` : 'seed: demo users already exist');
  } finally {
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
