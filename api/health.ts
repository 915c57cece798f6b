import type { Services } from './services';

/** The state of one dependency. */
export interface ComponentHealth {
  status: 'ok' | 'down';
  latencyMs: number;
  error?: string;
}

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<ComponentHealth> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'ok', latencyMs: Date.now() - started };
  } catch (err) {
    return { status: 'down', latencyMs: Date.now() - started, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Checks the API itself, the database and the Temporal frontend. */
export async function checkHealth(s: Pick<Services, 'prisma' | 'temporal'>, timeoutMs = 2000) {
  const [database, temporal] = await Promise.all([
    probe(() => s.prisma.$queryRaw`SELECT 1`, timeoutMs),
    probe(() => s.temporal.connection.workflowService.getSystemInfo({}), timeoutMs),
  ]);
  const ok = database.status === 'ok' && temporal.status === 'ok';
  return { status: ok ? 'ok' : 'degraded', api: { status: 'ok' as const }, database, temporal };
}
