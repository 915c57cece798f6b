import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { oneStatement, type Prisma, type PrismaClient } from '../../db/client';
import { auditInsert } from '../../db/audit';
import { appendProcessEvent, processRowInsert } from '../../db/process-rows';
import { formDataSchema, startPolicyOf } from '../../definitions';
import {
  approverChangeUpdate,
  migrateUpdate,
  retryStepUpdate,
  sendEventUpdate,
  stateQuery,
  type ApproverChangeRequest,
  type ProcessInput,
  type ProcessSnapshot,
} from '../../workflows/messages';
import { processInterpreter } from '../../workflows';
import { planMigration, type StepMapping } from '../../workflows/migration';
import type { DurationSpec } from '../../definitions';
import { SYSTEM_SENDER } from '../../domain';
import { Conflict, InvalidInput, NotAllowed, NotFound, parseInput } from './errors';
import type { AuditService } from './audit-service';
import type { Principal } from './auth-service';
import { forCaller, personalDataOwners } from './privacy';
import { type Page, type PagedList, pageOf } from './paging';
import { actorOf, canSeeProject, narrowed, requireVisibleProject, visible } from './access';
import type { DefinitionService } from './definition-service';
import type { TaskChangeFeed } from './task-change-feed';
import { formatDate, formatMoney, type Settings, type SettingsService } from './settings-service';
import type { FieldSpec } from '../../definitions';

/** A start request, already shaped by the route's schema. */
export interface StartProcessRequest {
  definition: string;
  version?: number;
  projectId: string;
  businessKey?: string;
  input: Record<string, unknown>;
}

/** Filters of the process list. */
export interface ProcessListQuery {
  definition?: string;
  status?: string;
  startedBy?: string;
  projectId?: string;
  overdue?: boolean;
  /** Words of the title, or a part of the business key (the process id). */
  q?: string;
  /** The sub-processes of this process. */
  parent?: string;
  cursor?: string;
  limit: number;
}

const processList: PagedList = {
  resource: 'processes',
  keys: [
    { field: 'startedAt', kind: 'date', direction: 'desc' },
    { field: 'id', kind: 'string', direction: 'desc' },
  ],
};

/** Starts, lists, shows and cancels process instances. */
export class ProcessService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly temporal: Client,
    private readonly taskQueue: string,
    private readonly definitions: DefinitionService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly taskChanges: TaskChangeFeed,
    private readonly bookkeeping: 'local' | 'remote' = 'local',
  ) {}

  /**
   * Starts an instance. The workflow ID is the business ID `<definition>:<businessKey>`,
   * so Temporal itself refuses a second instance of the same business process.
   * A retry carrying the same idempotency key gets the first start's answer.
   */
  async start(
    principal: Principal,
    request: StartProcessRequest,
    idempotencyKey?: string,
    waitMs = 0,
    /** Who asks: `POST /api/processes` (`api`), or a route that checked the caller's right to what it acts on. */
    via: 'api' | 'route' = 'api',
  ) {
    // Read side by side (one round trip's wait, not three), checked in this order.
    const [definition, project, settings] = await Promise.all([
      this.definitions.find(request.definition, request.version),
      this.prisma.project.findUnique({ where: { id: request.projectId } }),
      this.settings.get(),
    ]);
    if (!definition) {
      const field = request.version === undefined ? 'definition' : 'version';
      throw new InvalidInput(`Unknown process definition ${request.definition}${request.version ? `@${request.version}` : ''}`, [
        { field, reason: 'unknown definition' },
      ]);
    }
    // Processes that act on one customer's order or case begin at their route, and the
    // steps of a deal at their parent: never from a request that names any customer.
    const policy = startPolicyOf(definition.key);
    if (policy === 'parent') throw new NotAllowed(`${definition.key} is started by its parent process, not through POST /api/processes`);
    if (policy === 'route' && via !== 'route')
      throw new NotAllowed(
        `${definition.key} is started from the order or customer it concerns (its own route), not through POST /api/processes`,
      );
    if (definition.starters && !principal.roles.some((r) => definition.starters!.includes(r))) {
      throw new NotAllowed(`Only ${definition.starters.join(', ')} can start ${definition.key}`);
    }
    if (!project) throw new InvalidInput(`Unknown project ${request.projectId}`, [{ field: 'projectId', reason: 'unknown project' }]);
    if (!canSeeProject(principal, project.id)) throw new NotAllowed(`You are not a member of project ${project.id}`);
    const input = parseInput(formDataSchema(definition.input), request.input, 'input');

    const businessKey = request.businessKey ?? idempotencyKey ?? randomUUID();
    const processId = `${definition.key}:${businessKey}`;
    const startedBy = actorOf(principal);
    const subDefinitions = await this.definitions.resolveSubDefinitions(definition);
    const args: ProcessInput = {
      processId,
      projectId: project.id,
      definition,
      input,
      startedBy,
      calendar: settings.workingCalendar,
      subDefinitions,
      ...(this.bookkeeping === 'local' ? { bookkeeping: 'local' as const, registerWithFirstWrite: true as const } : {}),
    };
    // Listening before the start, so the first task's announcement cannot be missed.
    const firstStop = waitMs > 0 ? await this.taskChanges.prepare((c) => inTree(c.processId, processId) && stopsHere(c.kind)) : undefined;
    try {
      await this.temporal.workflow.start(processInterpreter, {
        workflowId: processId,
        taskQueue: this.taskQueue,
        args: [args],
        memo: { startRequestId: idempotencyKey ?? null, projectId: project.id },
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        await firstStop?.wait(0);
        throw err;
      }
      const existing = await this.prisma.processInstance.findUnique({ where: { id: processId } });
      const description = await this.temporal.workflow.getHandle(processId).describe();
      const firstRequestId = (description.memo as { startRequestId?: string } | undefined)?.startRequestId;
      if (idempotencyKey && firstRequestId === idempotencyKey) {
        await firstStop?.wait(0);
        const tasks = waitMs > 0 ? await this.openTasksOf(processId, settings) : undefined;
        return { id: processId, status: existing?.status ?? 'running', created: false, ...(tasks ? { tasks } : {}) };
      }
      await firstStop?.wait(0);
      throw new Conflict(`Process ${processId} already exists`);
    }
    // The row (unless the workflow's first write was quicker) and the audit entry, in one statement.
    await this.prisma.$executeRaw(
      oneStatement(
        [
          processRowInsert({
            processId,
            projectId: project.id,
            definitionKey: definition.key,
            definitionVersion: definition.version,
            title: definition.title,
            input,
            startedById: principal.userId,
            startRequestId: idempotencyKey ?? null,
            startedAt: new Date(),
          }),
        ],
        auditInsert({
          actor: principal,
          action: 'process.start',
          objectType: 'process',
          objectId: processId,
          after: { definition: `${definition.key}@${definition.version}`, input },
        }),
      ),
    );
    if (!firstStop) return { id: processId, status: 'running', created: true };
    // The caller asked for the first tasks: wait (bounded) until one is open or the process ended.
    await firstStop.wait(waitMs);
    const [row, tasks] = await Promise.all([
      this.prisma.processInstance.findUnique({ where: { id: processId }, select: { status: true } }),
      this.openTasksOf(processId, settings),
    ]);
    return { id: processId, status: row?.status ?? 'running', created: true, tasks };
  }

  /** The open tasks of a process and its sub-processes, oldest first, as the task list shows them. */
  private async openTasksOf(processId: string, settings: Settings) {
    const rows = await this.prisma.task.findMany({
      where: { OR: [{ processId }, { processId: { startsWith: `${processId}/` } }], status: 'open' },
      orderBy: [{ createdAt: 'asc' }],
    });
    return rows.map((t) => ({ ...t, dueAtDisplay: formatDate(t.dueAt, settings) }));
  }

  /** Lists the instances the caller may see, newest first. */
  async list(principal: Principal, q: ProcessListQuery) {
    requireVisibleProject(principal, q.projectId);
    const where = narrowed<Prisma.ProcessInstanceWhereInput>(visible.processes(principal), {
      definitionKey: q.definition,
      status: q.status,
      startedById: q.startedBy,
      projectId: q.projectId,
      parentId: q.parent,
      ...(q.overdue ? { tasks: { some: { status: 'open', dueAt: { lt: new Date() } } } } : {}),
      ...(q.q ? { OR: [{ title: { contains: q.q, mode: 'insensitive' } }, { id: { contains: q.q } }] } : {}),
    });
    const { rows, nextCursor } = await pageOf(processList, q, q, (page) =>
      this.prisma.processInstance.findMany({
        where: page.after ? { AND: [where, page.after] } : where,
        orderBy: page.orderBy,
        take: page.take,
      }),
    );
    const owners = await personalDataOwners(
      this.prisma,
      rows.map((r) => r.id),
    );
    return { items: rows.map((r) => forCaller(principal, owners(r.id, r.startedById), r)), nextCursor } satisfies Page<unknown>;
  }

  /** One instance: its row, tasks, history and (while it runs) its live state. */
  async get(principal: Principal, id: string) {
    const row = await this.prisma.processInstance.findUnique({
      where: { id },
      include: { tasks: { orderBy: { createdAt: 'asc' } }, events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } },
    });
    if (!row || !canSeeProject(principal, row.projectId)) throw new NotFound(`Process ${id}`);
    const settings = await this.settings.get();
    let live: ProcessSnapshot | null = null;
    if (row.status === 'running' || row.status === 'failing') {
      // The query needs a worker; without one the stored state still answers.
      live = await this.temporal.workflow
        .getHandle(id)
        .query(stateQuery)
        .catch(() => null);
    }
    const { tasks, events, ...process } = row;
    const definition = await this.definitions.find(row.definitionKey, row.definitionVersion);
    const owners = await personalDataOwners(this.prisma, [row.id]);
    // A visitor's phone, buyers' ID numbers: masked unless the caller is the customer's agent or may read every customer.
    return forCaller(principal, owners(row.id, row.startedById), {
      ...process,
      startedAtDisplay: formatDate(row.startedAt, settings),
      // Money and date inputs as the settings render them (currency symbol, date format).
      inputDisplay: definition ? displayValues(definition.input, row.input as Record<string, unknown>, settings) : null,
      variables: live?.variables ?? null,
      steps: live?.steps ?? null,
      approvals: live?.approvals ?? null,
      tasks: {
        open: tasks.filter((t) => t.status === 'open').map((t) => ({ ...t, dueAtDisplay: formatDate(t.dueAt, settings) })),
        finished: tasks.filter((t) => t.status !== 'open'),
      },
      history: events.map((e) => ({ ...e, id: e.id.toString() })),
    });
  }

  /**
   * Delivers an external event. The payload is validated against the event's
   * declared fields; the idempotency key is the update id, so a retry delivers once.
   */
  async sendEvent(principal: Principal, id: string, event: { name: string; payload: Record<string, unknown> }, idempotencyKey?: string) {
    const row = await this.running(principal, id);
    const definition = await this.definitions.find(row.definitionKey, row.definitionVersion);
    const spec = definition?.events?.find((e) => e.name === event.name);
    if (!spec)
      throw new InvalidInput(`Process ${id} does not accept the event "${event.name}"`, [{ field: 'name', reason: 'unknown event' }]);
    if (spec.senders && !principal.roles.some((role) => spec.senders!.includes(role)))
      throw new NotAllowed(`Only ${spec.senders.filter((r) => r !== SYSTEM_SENDER).join(', ') || 'the system'} can send "${event.name}"`);
    const payload = parseInput(formDataSchema(spec.payload), event.payload, 'payload');
    return this.temporal.workflow.getHandle(id).executeUpdate(sendEventUpdate, {
      args: [{ name: event.name, payload, actor: actorOf(principal) }],
      updateId: idempotencyKey ?? randomUUID(),
    });
  }

  /** Runs a failing activity step again. */
  async retryStep(principal: Principal, id: string, stepKey: string, idempotencyKey?: string) {
    await this.running(principal, id);
    return this.temporal.workflow.getHandle(id).executeUpdate(retryStepUpdate, {
      args: [{ stepKey, actor: actorOf(principal) }],
      updateId: idempotencyKey ?? randomUUID(),
    });
  }

  /** Adds an approver to, or skips one of, a running approval. */
  async changeApprovers(
    principal: Principal,
    id: string,
    change:
      | { action: 'add'; stepKey: string; role: string; due: DurationSpec; position?: number }
      | { action: 'skip'; stepKey: string; index: number },
    idempotencyKey?: string,
  ) {
    await this.running(principal, id);
    const request = { ...change, actor: actorOf(principal) } as ApproverChangeRequest;
    return this.temporal.workflow
      .getHandle(id)
      .executeUpdate(approverChangeUpdate, { args: [request], updateId: idempotencyKey ?? randomUUID() });
  }

  /**
   * Moves a running instance to a newer version of its definition. A dry run
   * answers what would move, be withdrawn, passed over and begin (and what stops
   * it), changing nothing. Applying plans the same way first, so that a mapping
   * that cannot work is a 400 naming its field; the workflow then plans again from
   * its own state, atomically, and refuses (409) if the instance moved meanwhile.
   * The idempotency key is the update id: a retried migration applies once.
   */
  async migrate(
    principal: Principal,
    id: string,
    request: { version: number; mapping: StepMapping; dryRun: boolean },
    idempotencyKey?: string,
  ) {
    const row = await this.running(principal, id);
    const from = await this.definitions.find(row.definitionKey, row.definitionVersion);
    const to = await this.definitions.find(row.definitionKey, request.version);
    if (!from) throw new Conflict(`Process ${id} runs ${row.definitionKey}@${row.definitionVersion}, which is not known here`);
    if (!to) {
      throw new InvalidInput(`${row.definitionKey} has no version ${request.version}`, [{ field: 'version', reason: 'no such version' }]);
    }
    const handle = this.temporal.workflow.getHandle(id);
    const apply = async () => {
      const subDefinitions = await this.definitions.resolveSubDefinitions(to);
      const applied = await handle.executeUpdate(migrateUpdate, {
        args: [{ definition: to, subDefinitions, mapping: request.mapping, actor: actorOf(principal) }],
        updateId: idempotencyKey ?? randomUUID(),
      });
      return { dryRun: false, applicable: true, problems: [], ...applied };
    };
    // A retry of an applied migration: the workflow answers it from the first (the instance has moved on, so planning again would refuse).
    const repeated =
      !request.dryRun &&
      idempotencyKey !== undefined &&
      (await this.prisma.processEvent.count({ where: { processId: id, eventKey: `action:${idempotencyKey}`, type: 'process.migrated' } })) >
        0;
    if (repeated) return apply();
    const plan = planMigration(from, to, await handle.query(stateQuery), request.mapping);
    const { fromVersion, toVersion, moved, withdrawn, restarted, skipped, starts, problems } = plan;
    const preview = { fromVersion, toVersion, moved, withdrawn, restarted, skipped, starts };
    if (request.dryRun) return { dryRun: true, applicable: problems.length === 0, problems, ...preview };
    if (problems.length) {
      throw new InvalidInput(
        `The migration cannot be applied: ${problems.map((p) => p.message).join('; ')}`,
        problems.map((p) => ({ field: p.field, reason: p.message })),
      );
    }
    return apply();
  }

  private async running(principal: Principal, id: string) {
    const row = await this.prisma.processInstance.findUnique({ where: { id } });
    if (!row || !canSeeProject(principal, row.projectId)) throw new NotFound(`Process ${id}`);
    if (row.status !== 'running' && row.status !== 'failing') throw new Conflict(`Process ${id} is ${row.status}`);
    return row;
  }

  /** Asks the workflow to cancel. Idempotent while it runs; a finished process is a conflict. */
  async cancel(principal: Principal, id: string) {
    const row = await this.running(principal, id);
    await this.temporal.workflow.getHandle(id).cancel();
    // Asking twice is one request: the history entry is keyed, and only the first is audited.
    await this.prisma.$transaction(async (tx) => {
      const first = await appendProcessEvent(tx, {
        processId: id,
        eventKey: 'process.cancel_requested',
        at: Date.now(),
        type: 'process.cancel_requested',
        actor: actorOf(principal),
      });
      if (first)
        await this.audit.append(tx, {
          actor: principal,
          action: 'process.cancel',
          objectType: 'process',
          objectId: id,
          before: { status: row.status },
        });
    });
    return { id, status: 'cancelling' as const };
  }
}

/** Renders the values of `fields` that the settings format: money and date-times. */
function displayValues(fields: FieldSpec[], values: Record<string, unknown>, settings: Settings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.type === 'money' && typeof value === 'number') out[field.name] = formatMoney(value, settings);
    if (field.type === 'datetime' && typeof value === 'string') out[field.name] = formatDate(new Date(value), settings);
  }
  return out;
}

/** Whether `id` is the process `root` or one of its sub-processes. */
const inTree = (id: string, root: string) => id === root || id.startsWith(`${root}/`);

/** The changes after which a new process waits for someone: a task opened, or it ended. */
const stopsHere = (kind: string) => kind === 'created' || kind === 'process.finished';
