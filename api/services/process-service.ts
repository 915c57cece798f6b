import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { PrismaClient } from '../../db/client';
import { insertProcessRecord } from '../../db/process-records';
import { formSchema } from '../../definitions';
import { stateQuery, type ProcessInput, type ProcessSnapshot } from '../../workflows/messages';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { parseOrThrow } from '../http';
import type { AuditService } from './audit-service';
import type { Principal } from './auth-service';
import { canSeeProject, visibleProcesses } from './access';
import type { DefinitionRegistry } from './definition-registry';
import { formatDate, type SettingsService } from './settings-service';

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
  limit: number;
}

/** The name of the interpreter workflow type, as the worker registers it. */
const INTERPRETER = 'processInterpreter';

/** Starts, lists, shows and cancels process instances. */
export class ProcessService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly temporal: Client,
    private readonly taskQueue: string,
    private readonly definitions: DefinitionRegistry,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Starts an instance. The workflow ID is the business ID `<definition>:<businessKey>`,
   * so Temporal itself refuses a second instance of the same business process.
   * A retry carrying the same idempotency key gets the first start's answer.
   */
  async start(principal: Principal, request: StartProcessRequest, idempotencyKey?: string) {
    const definition = this.definitions.find(request.definition, request.version);
    if (!definition) {
      const field = request.version === undefined ? 'body.definition' : 'body.version';
      throw badRequest(`Unknown process definition ${request.definition}${request.version ? `@${request.version}` : ''}`, [
        { field, reason: 'unknown definition' },
      ]);
    }
    const project = await this.prisma.project.findUnique({ where: { id: request.projectId } });
    if (!project) throw badRequest(`Unknown project ${request.projectId}`, [{ field: 'body.projectId', reason: 'unknown project' }]);
    if (!canSeeProject(principal, project.id)) throw forbidden(`You are not a member of project ${project.id}`);
    const input = parseOrThrow(formSchema(definition.input), request.input, 'body.input');

    const businessKey = request.businessKey ?? idempotencyKey ?? randomUUID();
    const processId = `${definition.key}:${businessKey}`;
    const settings = await this.settings.get();
    const startedBy = { userId: principal.userId, username: principal.username };
    const args: ProcessInput = { processId, projectId: project.id, definition, input, startedBy, calendar: settings.workingCalendar };
    try {
      await this.temporal.workflow.start(INTERPRETER, {
        workflowId: processId,
        taskQueue: this.taskQueue,
        args: [args],
        memo: { startRequestId: idempotencyKey ?? null, projectId: project.id },
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const existing = await this.prisma.processInstance.findUnique({ where: { id: processId } });
      const description = await this.temporal.workflow.getHandle(processId).describe();
      const firstRequestId = (description.memo as { startRequestId?: string } | undefined)?.startRequestId;
      if (idempotencyKey && firstRequestId === idempotencyKey) {
        return { status: 200, body: { id: processId, status: existing?.status ?? 'running', created: false } };
      }
      throw conflict(`Process ${processId} already exists`);
    }
    await this.prisma.$transaction(async (tx) => {
      await insertProcessRecord(tx, {
        processId,
        projectId: project.id,
        definitionKey: definition.key,
        definitionVersion: definition.version,
        title: definition.title,
        input,
        startedById: principal.userId,
        startRequestId: idempotencyKey ?? null,
        startedAt: new Date(),
      });
      await this.audit.record(tx, {
        actor: principal,
        action: 'process.start',
        objectType: 'process',
        objectId: processId,
        after: { definition: `${definition.key}@${definition.version}`, input },
      });
    });
    return { status: 201, body: { id: processId, status: 'running', created: true } };
  }

  /** Lists the instances the caller may see, newest first. */
  async list(principal: Principal, q: ProcessListQuery) {
    const rows = await this.prisma.processInstance.findMany({
      where: {
        AND: [
          visibleProcesses(principal),
          {
            definitionKey: q.definition,
            status: q.status,
            startedById: q.startedBy,
            projectId: q.projectId,
            ...(q.overdue ? { tasks: { some: { status: 'open', dueAt: { lt: new Date() } } } } : {}),
          },
        ],
      },
      orderBy: { startedAt: 'desc' },
      take: q.limit,
    });
    return rows;
  }

  /** One instance: its row, tasks, history and (while it runs) its live state. */
  async get(principal: Principal, id: string) {
    const row = await this.prisma.processInstance.findUnique({
      where: { id },
      include: { tasks: { orderBy: { createdAt: 'asc' } }, events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } },
    });
    if (!row || !canSeeProject(principal, row.projectId)) throw notFound(`Process ${id}`);
    const settings = await this.settings.get();
    let live: ProcessSnapshot | null = null;
    if (row.status === 'running') {
      // The query needs a worker; without one the stored state still answers.
      live = await this.temporal.workflow
        .getHandle(id)
        .query(stateQuery)
        .catch(() => null);
    }
    const { tasks, events, ...process } = row;
    return {
      ...process,
      startedAtDisplay: formatDate(row.startedAt, settings),
      variables: live?.variables ?? null,
      steps: live?.steps ?? null,
      tasks: {
        open: tasks.filter((t) => t.status === 'open').map((t) => ({ ...t, dueAtDisplay: formatDate(t.dueAt, settings) })),
        finished: tasks.filter((t) => t.status !== 'open'),
      },
      history: events.map((e) => ({ ...e, id: e.id.toString() })),
    };
  }

  /** Asks the workflow to cancel. Idempotent while it runs; a finished process is a conflict. */
  async cancel(principal: Principal, id: string) {
    const row = await this.prisma.processInstance.findUnique({ where: { id } });
    if (!row || !canSeeProject(principal, row.projectId)) throw notFound(`Process ${id}`);
    if (row.status !== 'running') throw conflict(`Process ${id} is already ${row.status}`);
    await this.temporal.workflow.getHandle(id).cancel();
    await this.prisma.$transaction((tx) =>
      this.audit.record(tx, {
        actor: principal,
        action: 'process.cancel',
        objectType: 'process',
        objectId: id,
        before: { status: 'running' },
      }),
    );
    return { status: 202, body: { id, status: 'cancelling' } };
  }
}
