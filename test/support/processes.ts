import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Prisma, PrismaClient } from '../../db/client';
import type { ProcessDefinition, WorkingCalendar } from '../../definitions';
import type { Actor } from '../../domain';
import type { ProcessInput } from '../../workflows/messages';
import { processInterpreter } from '../../workflows';

/** A calendar with no weekends, holidays or offset: durations in working days are plain days. */
export const EVERY_DAY: WorkingCalendar = { weekendDays: [], holidays: [], utcOffsetMinutes: 0 };

/** What {@link processInput} may differ in from its defaults. */
export interface ProcessInputOptions {
  processId?: string;
  projectId?: string;
  input?: Record<string, unknown>;
  startedBy?: Actor;
  calendar?: WorkingCalendar;
  subDefinitions?: Record<string, ProcessDefinition>;
  /** How the instance books; by default as the API starts new instances (local activities). */
  bookkeeping?: 'local' | 'remote';
}

/**
 * The workflow input of a process of `definition`, as the API would build it: in
 * project DEMO, started by a test actor, on a calendar of every day, with a fresh
 * id `<key>:<uuid>` unless one is given.
 */
export function processInput(definition: ProcessDefinition, options: ProcessInputOptions = {}): ProcessInput {
  return {
    processId: options.processId ?? `${definition.key}:${randomUUID()}`,
    projectId: options.projectId ?? 'DEMO',
    definition,
    input: options.input ?? {},
    startedBy: options.startedBy ?? { userId: null, username: 'tester' },
    calendar: options.calendar ?? EVERY_DAY,
    ...(options.subDefinitions ? { subDefinitions: options.subDefinitions } : {}),
    ...(options.bookkeeping === 'remote' ? {} : { bookkeeping: 'local' as const, registerWithFirstWrite: true as const }),
  };
}

/** Starts the process workflow directly on Temporal (no API): its id and handle. */
export async function startProcess(
  client: Client,
  taskQueue: string,
  definition: ProcessDefinition,
  options: ProcessInputOptions = {},
): Promise<{ processId: string; handle: WorkflowHandle<typeof processInterpreter> }> {
  const args = processInput(definition, options);
  const handle = await client.workflow.start(processInterpreter, { workflowId: args.processId, taskQueue, args: [args] });
  return { processId: args.processId, handle };
}

/**
 * The open task matching `where` once the workflow has written it — say
 * `{ processId: { startsWith: id } }` for anywhere in a process tree. Polls every
 * 25 ms (the time-skipping tests wait on it between steps), for 10 s at most.
 */
export async function openTaskWhere(prisma: PrismaClient, where: Prisma.TaskWhereInput) {
  for (let i = 0; i < 400; i++) {
    const task = await prisma.task.findFirst({ where: { ...where, status: 'open' } });
    if (task) return task;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no open task where ${JSON.stringify(where)}`);
}

/**
 * Runs one registered activity as the only step of a process of `projectId` (started
 * straight on Temporal, as a definition would run it), with `input` as literal
 * values, and waits until the process has completed or is failing. Tests use it to
 * drive the activities' own checks without a route in front of them.
 */
export async function runActivityStep(
  sys: { client: Client; taskQueue: string; prisma: PrismaClient },
  projectId: string,
  activity: string,
  input: Record<string, unknown>,
) {
  const definition: ProcessDefinition = {
    key: 'activity-probe',
    version: 1,
    title: 'Activity probe',
    roles: ['sales_agent'],
    input: [],
    root: {
      kind: 'activity',
      id: 'probe',
      activity,
      input: Object.fromEntries(Object.entries(input).map(([k, value]) => [k, { value }])),
      maxAttempts: 1,
    },
  };
  const { processId } = await startProcess(sys.client, sys.taskQueue, definition, { projectId });
  for (let i = 0; i < 800; i++) {
    const row = await sys.prisma.processInstance.findUnique({ where: { id: processId } });
    if (row && row.status !== 'running') return row;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`activity ${activity} in ${processId} did not end`);
}
