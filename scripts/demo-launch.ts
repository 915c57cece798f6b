import type { PrismaClient } from '../db/client';
import { DEMO_PROJECT } from './seed';

/**
 * Starts the demo project's sales launch through the real API, as the demo sales
 * supervisor, so a newcomer finds a running launch in the Temporal UI and the API.
 * Idempotent: the business key is the project, and a second start (on a restart)
 * is answered with the running one.
 */
export async function startDemoLaunch(apiUrl: string, prisma: PrismaClient, password: string): Promise<string> {
  const login = await fetch(`${apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'supervisor', password }),
  });
  if (!login.ok) throw new Error(`demo: sign-in as supervisor failed (${login.status}); was the password changed?`);
  const { token } = (await login.json()) as { token: string };
  const team = await prisma.user.findMany({ where: { username: { in: ['agent', 'ae'] } }, select: { id: true } });
  const res = await fetch(`${apiUrl}/api/processes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `demo-launch-${DEMO_PROJECT.id}` },
    body: JSON.stringify({
      definition: 'sales-launch',
      projectId: DEMO_PROJECT.id,
      businessKey: DEMO_PROJECT.id,
      input: {
        overallPlan: '演示花园一期销售总体计划 v1',
        annualUnits: 48,
        annualAmount: 96_000_000,
        planPhases: [
          { name: '开盘期 Opening', units: 20, amount: 40_000_000 },
          { name: '强销期 Main sales', units: 20, amount: 40_000_000 },
          { name: '尾盘期 Sell-out', units: 8, amount: 16_000_000 },
        ],
        priceStrategy: '低开高走，分批加推 Open low, raise price with each release',
        marketingBudget: 1_500_000,
        team: team.map((u) => u.id),
      },
    }),
  });
  const body = (await res.json()) as { id?: string; error?: { message: string } };
  // 409: the launch was started before, by another request: it is there all the same.
  if (!res.ok && res.status !== 409) throw new Error(`demo: starting the launch failed (${res.status}): ${body.error?.message}`);
  return body.id ?? `sales-launch:${DEMO_PROJECT.id}`;
}
