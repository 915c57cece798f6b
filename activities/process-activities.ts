import { oneStatement, Prisma, type Db, type PrismaClient } from '../db/client';
import { appendAudit, auditInsert } from '../db/audit';
import { processEventInsert, processRowInsert } from '../db/process-rows';
import { announceTaskChange, taskChangeNotify } from '../db/task-changes';
import type { FieldSpec, Outcome } from '../definitions/types';
import { SYSTEM_ACTOR, type Actor, type ProcessStatus } from '../domain';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { enqueueNotification, notificationInsert, settleTaskNotifications } from '../notifications/messages';
import * as messages from '../notifications/process-messages';
import { BUILT_IN_STEP_ACTIVITIES, type RegisteredActivity } from './registry';
import type { MigrationPlan, MovedTask } from '../workflows/migration';

/** What the activities need from the outside world. */
export interface ActivityDeps {
  prisma: PrismaClient;
  /** Activities that definitions may call by name, besides the built-ins. */
  stepActivities?: Record<string, RegisteredActivity>;
}

/** The history entry of a person's action, keyed by the client's action id: a retried action writes nothing. */
type ActionEntry = {
  processId: string;
  actionId: string;
  type: string;
  actor: Actor;
  data: unknown;
  at: number;
  taskId?: string;
  stepId?: string;
};

/** The statement that appends {@link ActionEntry} to the history, to be one part of a larger one. */
function actionInsert(a: ActionEntry): Prisma.Sql {
  return processEventInsert({
    processId: a.processId,
    eventKey: `action:${a.actionId}`,
    at: a.at,
    type: a.type,
    taskId: a.taskId,
    stepId: a.stepId,
    actor: a.actor,
    data: a.data,
  });
}

/** Appends a person's action to the history. Returns whether this call wrote it. */
async function appendAction(tx: Db, a: ActionEntry): Promise<boolean> {
  return (await tx.$executeRaw(actionInsert(a))) > 0;
}

/** What registering a process instance writes: its row and the first entry of its history. */
export interface ProcessRegistration {
  processId: string;
  projectId: string;
  parentId: string | null;
  definitionKey: string;
  definitionVersion: number;
  title: string;
  input: Record<string, unknown>;
  startedBy: Actor;
  at: number;
}

/**
 * The two statements of a registration, each a no-op when its row exists; with
 * `readable` the second returns a row, so that a later part can wait for it.
 */
function registrationParts(r: ProcessRegistration, readable = false): [Prisma.Sql, Prisma.Sql] {
  const row = processRowInsert({
    processId: r.processId,
    projectId: r.projectId,
    parentId: r.parentId,
    definitionKey: r.definitionKey,
    definitionVersion: r.definitionVersion,
    title: r.title,
    input: r.input,
    startedById: r.startedBy.userId,
    startedAt: new Date(r.at),
  });
  const started = processEventInsert({
    processId: r.processId,
    eventKey: 'process.started',
    at: r.at,
    type: 'process.started',
    actor: r.startedBy,
    data: { definition: `${r.definitionKey}@${r.definitionVersion}` },
  });
  return [row, readable ? Prisma.sql`${started} RETURNING 1` : started];
}

/**
 * Builds the interpreter's activities. Every one is idempotent: it may run again
 * after a crash or a timeout, and a second run changes nothing. Each says how.
 */
export function createActivities({ prisma, stepActivities: extra = {} }: ActivityDeps) {
  const stepActivities = { ...BUILT_IN_STEP_ACTIVITIES, ...extra };
  return {
    /**
     * Records the instance. Idempotent: an insert that does nothing when the row
     * exists (the API may already have written it when it started the workflow).
     */
    async registerProcess(args: ProcessRegistration): Promise<void> {
      const [row, started] = registrationParts(args);
      await prisma.$executeRaw(oneStatement([row], started));
    },

    /**
     * Creates a human task. Idempotent: `(processId, taskKey)` is unique, so a retry
     * finds the row the first attempt wrote. The id is chosen by the workflow.
     */
    async createTask(args: {
      processId: string;
      taskId: string;
      taskKey: string;
      stepId: string;
      title: string;
      role: string;
      assigneeUserId: string | null;
      outcomes: Outcome[];
      form: FieldSpec[];
      recordKind: string | null;
      /** What the person sees besides the form; absent in histories recorded before it existed. */
      context?: Record<string, unknown>;
      dueAt: number;
      at: number;
      /**
       * The process's registration, when this is its first write (instances started
       * with `registerWithFirstWrite`): written first, in the same statement.
       */
      register?: ProcessRegistration;
    }): Promise<void> {
      // One statement (no transaction round trips): the row if it is not there yet,
      // its history entry and message (each keyed, so a retry writes nothing), and
      // the announcement. The id is the workflow's, the same in every attempt. The
      // parts cannot read a process row the same statement writes: with a
      // registration, the project is given rather than looked up.
      const { register } = args;
      const projectId = register?.projectId;
      const registration = register ? registrationParts(register, true) : [];
      // The registration's history entry: the last of its parts, named by position (`pN`).
      const registrationEntry = Prisma.raw(`p${registration.length - 1}`);
      await prisma.$executeRaw(
        oneStatement(
          [
            ...registration,
            Prisma.sql`
              INSERT INTO tasks (id, process_id, task_key, step_id, title, original_role, assignee_role, assignee_user_id,
                                 status, outcomes, form, record_kind, context, due_at, created_at)
              VALUES (${args.taskId}::uuid, ${args.processId}, ${args.taskKey}, ${args.stepId}, ${args.title}, ${args.role}, ${args.role},
                      ${args.assigneeUserId}::uuid, 'open', ${args.outcomes}::text[], ${JSON.stringify(args.form)}::jsonb, ${args.recordKind},
                      ${args.context ? JSON.stringify(args.context) : null}::jsonb, ${new Date(args.dueAt)}::timestamptz, ${new Date(args.at)}::timestamptz)
              ON CONFLICT (process_id, task_key) DO NOTHING`,
            processEventInsert(
              {
                processId: args.processId,
                eventKey: `task.created:${args.taskKey}`,
                at: args.at,
                type: 'task.created',
                stepId: args.stepId,
                taskId: args.taskId,
                actor: SYSTEM_ACTOR,
                data: { role: args.role, dueAt: new Date(args.dueAt).toISOString() },
              },
              // Postgres runs the parts in no promised order; reading the registration's
              // history entry makes it come first, so the history reads in order.
              register ? Prisma.sql`WHERE (SELECT count(*) FROM ${registrationEntry}) >= 0` : Prisma.empty,
            ),
            notificationInsert({ ...messages.taskCreatedMessage(args), ...(projectId ? { projectId } : {}) }),
          ],
          taskChangeNotify({ processId: args.processId, taskId: args.taskId, kind: 'created', projectId }),
        ),
      );
    },

    /**
     * Records that a person completed a task, and the document it carries if its step
     * keeps one. Idempotent: the row changes only while it is open; the history,
     * audit and record rows are written only with that change.
     */
    async completeTask(args: {
      processId: string;
      taskId: string;
      taskKey: string;
      stepId: string;
      outcome: Outcome;
      data: Record<string, unknown>;
      actor: Actor;
      requestId: string;
      at: number;
    }): Promise<void> {
      // One statement: the row changes only while it is open (`p0` returns it then),
      // and everything else is written once per row `p0` returned — so a retry, which
      // finds the task completed, writes nothing.
      const changed = Prisma.sql`FROM p0`;
      const completion = { outcome: args.outcome, data: args.data };
      await prisma.$executeRaw(
        oneStatement(
          [
            Prisma.sql`
              UPDATE tasks SET status = 'completed', outcome = ${args.outcome}, data = ${JSON.stringify(args.data)}::jsonb,
                               completed_by_id = ${args.actor.userId}::uuid, completion_request_id = ${args.requestId},
                               completed_at = ${new Date(args.at)}::timestamptz
              WHERE id = ${args.taskId}::uuid AND status = 'open'
              RETURNING record_kind`,
            // The submitted document, if the step keeps one: written with the completion,
            // keyed by the task, so it exists exactly when the completion does.
            Prisma.sql`
              INSERT INTO records (id, project_id, process_id, task_id, step_id, kind, data, created_by_id, created_by_name, created_at)
              SELECT gen_random_uuid(), pi.project_id, ${args.processId}, ${args.taskId}::uuid, ${args.stepId}, p0.record_kind,
                     ${JSON.stringify(args.data)}::jsonb, ${args.actor.userId}::uuid, ${args.actor.username}, ${new Date(args.at)}::timestamptz
              FROM p0 JOIN process_instances pi ON pi.id = ${args.processId}
              WHERE p0.record_kind IS NOT NULL`,
            processEventInsert(
              {
                processId: args.processId,
                eventKey: `task.completed:${args.taskKey}`,
                at: args.at,
                type: 'task.completed',
                stepId: args.stepId,
                taskId: args.taskId,
                actor: args.actor,
                data: completion,
              },
              changed,
            ),
            // What asked for this task is settled with it (p0 is empty on a retry: nothing changes).
            settleTaskNotifications(Prisma.sql`SELECT ${args.taskId}::uuid FROM p0`, new Date(args.at)),
            auditInsert(
              {
                actor: args.actor,
                action: 'task.complete',
                objectType: 'task',
                objectId: args.taskId,
                before: { status: 'open' },
                after: { status: 'completed', ...completion },
              },
              changed,
            ),
            ...(messages.APPROVAL_OUTCOMES.includes(args.outcome)
              ? [notificationInsert(messages.approvalDecidedMessage({ ...args, actorName: args.actor.username }), changed)]
              : []),
          ],
          taskChangeNotify({ processId: args.processId, taskId: args.taskId, kind: 'completed' }, changed),
        ),
      );
    },

    /**
     * Moves an overdue task one level up. Idempotent: the row changes only while its
     * escalation level is below `level`, and the history row is keyed by the level.
     */
    async escalateTask(args: {
      processId: string;
      taskId: string;
      taskKey: string;
      fromRole: string;
      toRole: string;
      level: number;
      at: number;
    }): Promise<void> {
      // One statement; everything after the update is written only if it changed the row.
      const changed = Prisma.sql`FROM p0`;
      await prisma.$executeRaw(
        oneStatement(
          [
            Prisma.sql`
              UPDATE tasks SET assignee_role = ${args.toRole}, escalation_level = ${args.level}
              WHERE id = ${args.taskId}::uuid AND status = 'open' AND escalation_level < ${args.level}
              RETURNING id`,
            processEventInsert(
              {
                processId: args.processId,
                eventKey: `task.escalated:${args.taskKey}:${args.level}`,
                at: args.at,
                type: 'task.escalated',
                taskId: args.taskId,
                actor: SYSTEM_ACTOR,
                data: { from: args.fromRole, to: args.toRole, level: args.level },
              },
              changed,
            ),
            auditInsert(
              {
                actor: SYSTEM_ACTOR,
                action: 'task.escalate',
                objectType: 'task',
                objectId: args.taskId,
                before: { assigneeRole: args.fromRole, escalationLevel: args.level - 1 },
                after: { assigneeRole: args.toRole, escalationLevel: args.level },
              },
              changed,
            ),
            notificationInsert(messages.taskEscalatedMessage(args), changed),
          ],
          taskChangeNotify({ processId: args.processId, taskId: args.taskId, kind: 'escalated' }, changed),
        ),
      );
    },

    /**
     * Reminds the assignee of a task that is due soon: a history entry and a message
     * in the outbox. Idempotent: the outbox row is written only with the history row,
     * whose key names the reminder.
     */
    async remindTask(args: {
      processId: string;
      taskId: string;
      taskKey: string;
      role: string;
      index: number;
      dueAt: number;
      at: number;
    }): Promise<void> {
      // One statement: the message is written only with the history entry (`p0`).
      await prisma.$executeRaw(
        oneStatement(
          [
            Prisma.sql`${processEventInsert({
              processId: args.processId,
              eventKey: `task.reminded:${args.taskKey}:${args.index}`,
              at: args.at,
              type: 'task.reminded',
              taskId: args.taskId,
              actor: SYSTEM_ACTOR,
              data: { role: args.role, dueAt: new Date(args.dueAt).toISOString() },
            })} RETURNING 1`,
          ],
          notificationInsert(messages.taskReminderMessage(args), Prisma.sql`FROM p0`),
        ),
      );
    },

    /**
     * Records an action on a task (claim, release, reassign, delegate, deadline
     * change, hand-back) and applies it to the row. Idempotent: keyed by the
     * client's action id; a second run finds the history row and changes nothing.
     */
    async recordTaskAction(args: {
      processId: string;
      taskId: string;
      actionId: string;
      type: string;
      actor: Actor;
      patch: {
        assigneeUserId?: string | null;
        assigneeRole?: string;
        delegateUserId?: string | null;
        dueAt?: number;
        pausedAt?: number | null;
      };
      data: unknown;
      at: number;
    }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        if (!(await appendAction(tx, args))) return;
        const before = await tx.task.findUniqueOrThrow({ where: { id: args.taskId } });
        const { dueAt, pausedAt, ...rest } = args.patch;
        const after = await tx.task.update({
          where: { id: args.taskId },
          data: {
            ...rest,
            ...(dueAt !== undefined ? { dueAt: new Date(dueAt) } : {}),
            ...(pausedAt !== undefined ? { pausedAt: pausedAt === null ? null : new Date(pausedAt) } : {}),
          },
        });
        const pick = (t: typeof before) => ({
          assigneeRole: t.assigneeRole,
          assigneeUserId: t.assigneeUserId,
          delegateUserId: t.delegateUserId,
          dueAt: t.dueAt,
          pausedAt: t.pausedAt,
        });
        await appendAudit(tx, {
          actor: args.actor,
          action: args.type,
          objectType: 'task',
          objectId: args.taskId,
          before: pick(before),
          after: pick(after),
        });
        const message = messages.taskActionMessage({ ...args, ...after, actorName: args.actor.username });
        if (message) await enqueueNotification(tx, message);
        await announceTaskChange(tx, { processId: args.processId, taskId: args.taskId, kind: args.type.replace(/^task\./, '') });
      });
    },

    /**
     * Records a migration to a newer definition version: the instance's version, the
     * moved tasks' rows (new key, step, title, form, document kind; the new role
     * when not escalated), one history entry and one audit row. Idempotent: keyed by
     * the client's action id. Withdrawn tasks are cancelled by the walk, as ever.
     */
    async recordMigration(args: {
      processId: string;
      actionId: string;
      actor: Actor;
      fromVersion: number;
      toVersion: number;
      mapping: Record<string, string | null>;
      moved: MovedTask[];
      withdrawn: MigrationPlan['withdrawn'];
      skipped: string[];
      starts: string[];
      at: number;
    }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const { processId, actor, fromVersion, toVersion, mapping, moved, withdrawn, skipped, starts } = args;
        const summary = {
          fromVersion,
          toVersion,
          mapping,
          moved: moved.map((m) => ({ taskId: m.taskId, from: m.fromKey, to: m.toKey })),
          withdrawn,
          skipped,
          starts,
        };
        if (!(await appendAction(tx, { ...args, type: 'process.migrated', data: summary }))) return;
        await tx.processInstance.update({ where: { id: processId }, data: { definitionVersion: toVersion } });
        for (const m of moved) {
          const row = await tx.task.findUniqueOrThrow({ where: { id: m.taskId } });
          await tx.task.update({
            where: { id: m.taskId },
            data: {
              taskKey: m.toKey,
              stepId: m.stepId,
              title: m.newTitle,
              form: m.form as unknown as Prisma.InputJsonValue,
              recordKind: m.record,
              ...(row.escalationLevel === 0 ? { originalRole: m.role, assigneeRole: m.role } : {}),
            },
          });
          await announceTaskChange(tx, { processId, taskId: m.taskId, kind: 'migrated' });
        }
        await appendAudit(tx, {
          actor,
          action: 'process.migrate',
          objectType: 'process',
          objectId: processId,
          before: { definitionVersion: fromVersion },
          after: { definitionVersion: toVersion, mapping, moved: summary.moved, withdrawn: withdrawn.map((w) => w.taskId) },
        });
      });
    },

    /** Withdraws a task. Idempotent: the row changes only while it is open. */
    async cancelTask(args: { processId: string; taskId: string; taskKey: string; reason: string; at: number }): Promise<void> {
      // One statement; the history entry and the announcement only if the row changed.
      const changed = Prisma.sql`FROM p0`;
      await prisma.$executeRaw(
        oneStatement(
          [
            Prisma.sql`UPDATE tasks SET status = 'cancelled' WHERE id = ${args.taskId}::uuid AND status = 'open' RETURNING id`,
            settleTaskNotifications(Prisma.sql`SELECT id FROM p0`, new Date(args.at)),
            processEventInsert(
              {
                processId: args.processId,
                eventKey: `task.cancelled:${args.taskKey}`,
                at: args.at,
                type: 'task.cancelled',
                taskId: args.taskId,
                actor: SYSTEM_ACTOR,
                data: { reason: args.reason },
              },
              changed,
            ),
          ],
          taskChangeNotify({ processId: args.processId, taskId: args.taskId, kind: 'cancelled' }, changed),
        ),
      );
    },

    /**
     * Records an action on the process (an event received, an approver added or
     * skipped, a retry). Idempotent: keyed by the client's action id.
     */
    async recordProcessAction(args: {
      processId: string;
      actionId: string;
      type: string;
      stepKey: string | null;
      actor: Actor;
      data: unknown;
      /** A retry: the process leaves the `failing` status. */
      resumesFailing?: boolean;
      at: number;
    }): Promise<void> {
      // One statement: the status change and the audit row only with the history entry (`p0`).
      const fresh = Prisma.sql`FROM p0`;
      await prisma.$executeRaw(
        oneStatement(
          [
            Prisma.sql`${actionInsert({ ...args, stepId: args.stepKey ?? undefined })} RETURNING 1`,
            ...(args.resumesFailing
              ? [
                  Prisma.sql`UPDATE process_instances SET status = 'running'
                             WHERE id = ${args.processId} AND status = 'failing' AND EXISTS (SELECT 1 FROM p0)`,
                ]
              : []),
          ],
          auditInsert(
            {
              actor: args.actor,
              action: args.type,
              objectType: 'process',
              objectId: args.processId,
              after: { stepKey: args.stepKey, ...(args.data as object) },
            },
            fresh,
          ),
        ),
      );
    },

    /**
     * Marks the process as failing: an activity step used up its attempts and waits
     * for a retry. Idempotent: keyed by the step and the round of attempts.
     */
    async recordStepFailure(args: { processId: string; stepKey: string; attempt: number; message: string; at: number }): Promise<void> {
      // One statement: the status changes only with the history entry (`p0`).
      await prisma.$executeRaw(
        oneStatement(
          [
            Prisma.sql`${processEventInsert({
              processId: args.processId,
              eventKey: `step.failed:${args.stepKey}:${args.attempt}`,
              at: args.at,
              type: 'step.failed',
              stepId: args.stepKey,
              actor: SYSTEM_ACTOR,
              data: { message: args.message, round: args.attempt },
            })} RETURNING 1`,
          ],
          Prisma.sql`UPDATE process_instances SET status = 'failing'
                     WHERE id = ${args.processId} AND status = 'running' AND EXISTS (SELECT 1 FROM p0)`,
        ),
      );
    },

    /**
     * Runs a registered activity for an `activity` step. An unknown name cannot be
     * fixed by retrying, so it fails at once; the registered function says how it
     * is idempotent.
     */
    async runStepActivity(args: {
      processId: string;
      stepKey: string;
      activity: string;
      input: Record<string, unknown>;
    }): Promise<unknown> {
      const fn = stepActivities[args.activity];
      if (!fn) throw ApplicationFailure.nonRetryable(`Unknown activity ${args.activity}`, 'UnknownActivity');
      return fn(args.input, { prisma, processId: args.processId, stepKey: args.stepKey, temporal: () => Context.current().client });
    },

    /**
     * Records how the instance ended and cancels its open tasks. Idempotent: the
     * row changes only while it is running (or failing, waiting for a retry).
     */
    async finishProcess(args: { processId: string; status: Exclude<ProcessStatus, 'running'>; at: number }): Promise<void> {
      // One statement; the rest is written only if the update changed the row.
      const changed = Prisma.sql`FROM p0`;
      const notifies = args.status === 'completed' || args.status === 'rejected';
      await prisma.$executeRaw(
        oneStatement(
          [
            Prisma.sql`
              UPDATE process_instances SET status = ${args.status}, outcome = ${args.status}, finished_at = ${new Date(args.at)}::timestamptz
              WHERE id = ${args.processId} AND status IN ('running', 'failing')
              RETURNING id`,
            Prisma.sql`UPDATE tasks SET status = 'cancelled' WHERE process_id = ${args.processId} AND status = 'open' AND EXISTS (SELECT 1 FROM p0) RETURNING id`,
            settleTaskNotifications(Prisma.sql`SELECT id FROM p1`, new Date(args.at)),
            processEventInsert(
              { processId: args.processId, eventKey: 'process.finished', at: args.at, type: `process.${args.status}`, actor: SYSTEM_ACTOR },
              changed,
            ),
            ...(notifies ? [notificationInsert(messages.processFinishedMessage(args), changed)] : []),
          ],
          taskChangeNotify({ processId: args.processId, taskId: null, kind: 'process.finished' }, changed),
        ),
      );
    },
  };
}

/** The activities' type, which the workflow imports by type only. */
export type ProcessActivities = ReturnType<typeof createActivities>;
