import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../../db/client';
import { eventually } from './system';

/** A definition of one human task for `sales_supervisor`: the smallest process a burst of completions needs. */
export function oneTaskDefinition(key: string) {
  return {
    key,
    version: 1,
    title: 'One task',
    roles: ['sales_supervisor'],
    input: [],
    root: { kind: 'task', id: 'do', title: 'Do it', role: 'sales_supervisor', due: { days: 1 } },
  };
}

/** Runs `work` over `items` with at most `limit` at once. */
export async function pool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

/** Waits (bounded) until each process of `processIds` has its one task open; returns the tasks. */
export async function openTasks(db: PrismaClient, processIds: string[]) {
  return eventually(
    async () => {
      const open = await db.task.findMany({ where: { processId: { in: processIds }, status: 'open' } });
      return open.length === processIds.length ? open : undefined;
    },
    60_000,
    `${processIds.length} open tasks`,
  );
}

/**
 * Asserts that every task of `processIds` was completed exactly once, with outcome
 * `done`, under the Idempotency-Key the client used for it (`keys`, by task id):
 * the row changed once and carries the key, and there is one `task.completed`
 * history entry and one `task.complete` audit row per task.
 */
export async function expectEachCompletedOnce(db: PrismaClient, processIds: string[], keys: Map<string, string>): Promise<void> {
  const rows = await db.task.findMany({ where: { processId: { in: processIds } } });
  expect(rows).toHaveLength(keys.size);
  const wrong = rows.filter((r) => r.status !== 'completed' || r.outcome !== 'done' || r.completionRequestId !== keys.get(r.id));
  expect(wrong.map((r) => ({ id: r.id, status: r.status, key: r.completionRequestId, expected: keys.get(r.id) }))).toEqual([]);
  const history = await db.processEvent.groupBy({
    by: ['taskId'],
    where: { processId: { in: processIds }, type: 'task.completed' },
    _count: { _all: true },
  });
  expect(history).toHaveLength(keys.size);
  expect(history.filter((h) => h._count._all !== 1)).toEqual([]);
  const audit = await db.auditEvent.groupBy({
    by: ['objectId'],
    where: { action: 'task.complete', objectType: 'task', objectId: { in: rows.map((r) => r.id) } },
    _count: { _all: true },
  });
  expect(audit).toHaveLength(keys.size);
  expect(audit.filter((a) => a._count._all !== 1)).toEqual([]);
}

/** Waits (bounded) until every process of `processIds` is completed in the database, then asserts that Temporal agrees. */
export async function expectAllCompleted(db: PrismaClient, temporal: Client, processIds: string[]): Promise<void> {
  await eventually(
    async () =>
      (await db.processInstance.count({ where: { id: { in: processIds }, status: 'completed' } })) === processIds.length ? true : undefined,
    60_000,
    `all ${processIds.length} processes completed`,
  );
  const statuses = await Promise.all(processIds.map(async (id) => (await temporal.workflow.getHandle(id).describe()).status.name));
  expect(statuses.filter((s) => s !== 'COMPLETED')).toEqual([]);
}
