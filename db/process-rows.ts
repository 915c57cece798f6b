import type { Actor } from '../domain';
import { Prisma, type Db } from './client';

/** The row of a process instance as the API and the workflow both write it. */
export interface ProcessRow {
  processId: string;
  projectId: string;
  parentId?: string | null;
  definitionKey: string;
  definitionVersion: number;
  title: string;
  input: Record<string, unknown>;
  startedById: string | null;
  startRequestId?: string | null;
  startedAt: Date;
}

/**
 * The statement that writes the instance row if it is not there yet, as one part of
 * a larger statement (`oneStatement`). Both the API (right after the workflow
 * starts, so a read that follows finds it) and the workflow's first write (in case
 * the API died in between) run it; whichever comes second changes nothing.
 */
export function processRowInsert(r: ProcessRow): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO process_instances (id, project_id, parent_id, definition_key, definition_version, title, status, input, started_by_id, start_request_id, started_at)
    VALUES (${r.processId}, ${r.projectId}, ${r.parentId ?? null}, ${r.definitionKey}, ${r.definitionVersion}, ${r.title}, 'running',
            ${JSON.stringify(r.input)}::jsonb, ${r.startedById}::uuid, ${r.startRequestId ?? null}, ${r.startedAt})
    ON CONFLICT (id) DO NOTHING`;
}

/** One entry of an instance's history. */
export interface ProcessEventEntry {
  processId: string;
  /** Unique per process: the same key twice is one entry. */
  eventKey: string;
  at: number;
  type: string;
  stepId?: string;
  taskId?: string;
  actor?: Actor;
  data?: unknown;
}

/**
 * Appends to an instance's history. Idempotent: `(processId, eventKey)` is unique,
 * so a retry writes nothing. Returns whether this call wrote the entry, so the
 * caller can make the rest of its change depend on it.
 */
export async function appendProcessEvent(db: Db, e: ProcessEventEntry): Promise<boolean> {
  return (await db.$executeRaw(processEventInsert(e))) > 0;
}

/**
 * The statement of {@link appendProcessEvent}, to be one part of a larger statement.
 * With `source` (say ``Prisma.sql`FROM changed` ``) the entry is written once per row
 * of that source, i.e. only if an earlier part of the statement changed something.
 */
export function processEventInsert(e: ProcessEventEntry, source: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO process_events (process_id, event_key, at, type, step_id, task_id, actor_id, actor_name, data)
    SELECT ${e.processId}::text, ${e.eventKey}::text, ${new Date(e.at)}::timestamptz, ${e.type}::text, ${e.stepId ?? null}::text,
           ${e.taskId ?? null}::uuid, ${e.actor?.userId ?? null}::uuid, ${e.actor?.username ?? null}::text,
           ${e.data === undefined ? null : JSON.stringify(e.data)}::jsonb
    ${source}
    ON CONFLICT (process_id, event_key) DO NOTHING`;
}
