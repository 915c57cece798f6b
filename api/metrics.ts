import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PrismaClient } from '../db/client';
import type { RouteLocals } from './http';

/** One row of the open-task census. */
interface TaskCensusRow {
  role: string;
  project: string;
  open: bigint;
  overdue: bigint;
  escalated: bigint;
}

/** One row of the running-process census. */
interface ProcessCensusRow {
  definition: string;
  status: string;
  count: bigint;
}

/**
 * The API's Prometheus metrics: request latency by route id (the route table's, so
 * label values stay few whatever the URLs), Node's process metrics, and business
 * gauges computed from the database on each scrape (open, overdue and escalated
 * tasks by role and project; running processes by definition). Computed on scrape
 * rather than kept as counters so that they are right whichever process changed the
 * rows (workers, other API instances) and after restarts.
 */
export class ApiMetrics {
  /** The registry `/metrics` renders; a registry of its own, so several apps in one process (tests) do not collide. */
  readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route id, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly tasksOpen = this.gauge('salesproc_tasks_open', 'Open tasks', ['role', 'project']);
  private readonly tasksOverdue = this.gauge('salesproc_tasks_overdue', 'Open tasks past their due time', ['role', 'project']);
  private readonly tasksEscalated = this.gauge('salesproc_tasks_escalated', 'Open tasks escalated at least once', ['role', 'project']);
  private readonly processesRunning = this.gauge(
    'salesproc_processes_running',
    'Process instances still running (status running or failing)',
    ['definition', 'status'],
  );

  constructor(private readonly prisma: PrismaClient) {
    collectDefaultMetrics({ register: this.registry });
  }

  private gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  /** Times every request; the label is the route id the route table gave it, else what kind of path it was. */
  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const end = this.httpDuration.startTimer();
      res.once('finish', () => {
        const routeId = (res.locals as RouteLocals).routeId ?? staticRoute(req.path);
        end({ route: routeId, method: req.method, status: String(res.statusCode) });
      });
      next();
    };
  }

  /** Recomputes the business gauges from the database. Two grouped queries, whatever the number of tasks. */
  async refreshBusinessGauges(now = new Date()): Promise<void> {
    const [tasks, processes] = await Promise.all([
      this.prisma.$queryRaw<TaskCensusRow[]>`
        SELECT t.assignee_role AS role, p.project_id AS project,
               count(*) AS open,
               count(*) FILTER (WHERE t.due_at < ${now} AND t.paused_at IS NULL) AS overdue,
               count(*) FILTER (WHERE t.escalation_level > 0) AS escalated
          FROM tasks t JOIN process_instances p ON p.id = t.process_id
         WHERE t.status = 'open'
         GROUP BY 1, 2`,
      this.prisma.$queryRaw<ProcessCensusRow[]>`
        SELECT definition_key AS definition, status, count(*) AS count
          FROM process_instances
         WHERE status IN ('running', 'failing')
         GROUP BY 1, 2`,
    ]);
    // Reset first: a role or project with no open task any more must disappear, not keep its last value.
    this.tasksOpen.reset();
    this.tasksOverdue.reset();
    this.tasksEscalated.reset();
    this.processesRunning.reset();
    for (const row of tasks) {
      const labels = { role: row.role, project: row.project };
      this.tasksOpen.set(labels, Number(row.open));
      this.tasksOverdue.set(labels, Number(row.overdue));
      this.tasksEscalated.set(labels, Number(row.escalated));
    }
    for (const row of processes) this.processesRunning.set({ definition: row.definition, status: row.status }, Number(row.count));
  }

  /**
   * `GET /metrics`. Without `METRICS_TOKEN`, or without that bearer token, it answers
   * 404 like any unknown path, so that a scanner learns nothing from it.
   */
  handler(token: string | undefined): RequestHandler {
    return async (req: Request, res: Response, next: NextFunction) => {
      try {
        if (!token || !sameSecret(req.get('authorization') ?? '', `Bearer ${token}`)) {
          res.status(404).json({ error: { code: 'not_found', message: 'No such route', details: [] } });
          return;
        }
        await this.refreshBusinessGauges();
        res.type(this.registry.contentType).send(await this.registry.metrics());
      } catch (err) {
        next(err);
      }
    };
  }
}

/** The label of a request no route of the table answered: a few fixed kinds, never the raw path (unbounded cardinality). */
function staticRoute(path: string): string {
  if (path === '/health') return 'health';
  if (path === '/metrics') return 'metrics';
  if (path === '/api/openapi.json' || path.startsWith('/api/docs')) return 'docs';
  if (path.startsWith('/api/')) return 'api.unmatched';
  return 'web';
}

/** Compares secrets in constant time. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
