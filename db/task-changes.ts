import { Prisma, type Db } from './client';

/** The Postgres channel on which every change of a task or of a process's end is announced. */
export const TASK_CHANGES_CHANNEL = 'task_changes';

/** What changed, as announced on {@link TASK_CHANGES_CHANNEL}. */
export interface TaskChange {
  processId: string;
  projectId: string;
  taskId: string | null;
  /** `created`, `completed`, `cancelled`, `escalated`, an action (`claim`…), or `process.finished`. */
  kind: string;
}

/**
 * Announces a change in the writer's transaction: Postgres delivers it on commit,
 * so a listener that hears of it reads the change. One statement, which also reads
 * the project of the process for listeners that filter by project. A retried
 * activity may announce twice; listeners treat announcements as hints to re-read.
 */
export async function announceTaskChange(db: Db, change: Omit<TaskChange, 'projectId'>): Promise<void> {
  await db.$executeRaw(taskChangeNotify(change));
}

/**
 * The statement of {@link announceTaskChange}, to be the last part of a larger one
 * (`oneStatement`); with `source` it announces only if that source has a row.
 */
export function taskChangeNotify(
  change: Omit<TaskChange, 'projectId'> & { projectId?: string },
  source: Prisma.Sql = Prisma.empty,
): Prisma.Sql {
  const changed = source === Prisma.empty ? Prisma.sql`TRUE` : Prisma.sql`EXISTS (SELECT 1 ${source})`;
  // A statement that also writes the process row cannot read it: it names the project.
  if (change.projectId !== undefined)
    return Prisma.sql`
      SELECT pg_notify(${TASK_CHANGES_CHANNEL},
        json_build_object('processId', ${change.processId}::text, 'projectId', ${change.projectId}::text,
                          'taskId', ${change.taskId}::text, 'kind', ${change.kind}::text)::text)
      WHERE ${changed}`;
  return Prisma.sql`
    SELECT pg_notify(${TASK_CHANGES_CHANNEL},
      json_build_object('processId', p.id, 'projectId', p.project_id, 'taskId', ${change.taskId}::text, 'kind', ${change.kind}::text)::text)
    FROM process_instances p WHERE p.id = ${change.processId} AND ${changed}`;
}
