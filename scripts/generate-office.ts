import { Client } from 'pg';
import { hashPassword } from '../api/services/auth-service';
import { ensureDefaultRoles } from '../api/services/user-service';
import { createPrismaClient } from '../db/client';
import { generateAnalyticsData } from './generate-analytics-data';

/**
 * `npm run demo:large`: a large sales office in a database of its own (recreated;
 * default `salesproc_office`, OFFICE_DATABASE_URL), for the list benchmark
 * (`npm run bench:office`) and for trying the web app at a real office's size:
 *
 * - 3 projects, 3,000 units, 60 agents (20 a project), 30,000 customers with two
 *   years of visits, follow-ups, subscriptions, contracts and payments — the
 *   analytics generator's facts (`scripts/generate-analytics-data.ts`);
 * - 30,000 follow-up processes, 25,000 of them finished and 5,000 running, with
 *   about 200,000 tasks (every running one has an open task due around now);
 * - 200,000 audit entries;
 * - users who can sign in with OFFICE_PASSWORD (default `office-password-1`):
 *   `office_agent` (an agent of the first project, owning its customers of agent 0),
 *   `office_supervisor` (all three projects), `office_management` (everything).
 *
 * The rows are written in SQL (`generate_series`), not through the workflows: the
 * running processes have no Temporal history, so opening one shows its stored state.
 * They are what the lists read; the demo that `npm start` seeds is made through the
 * real code paths instead.
 */
export interface OfficeOptions {
  databaseUrl: string;
  password: string;
}

export function officeOptions(env = process.env): OfficeOptions {
  return {
    databaseUrl: env.OFFICE_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/salesproc_office',
    password: env.OFFICE_PASSWORD ?? 'office-password-1',
  };
}

const PROCESSES = 30_000;
const RUNNING = 5_000;
const AUDIT = 200_000;

function statements(passwordHash: string): [string, string][] {
  return [
    [
      'agents can sign in',
      `INSERT INTO user_roles (user_id, role_name) SELECT user_id, 'sales_agent' FROM project_members;
       UPDATE users SET password_hash = '${passwordHash}';
       UPDATE users SET username = 'office_agent', display_name = '置业顾问 王一' WHERE username = 'bench_BP01_0'`,
    ],
    [
      'supervisor and management',
      `INSERT INTO users (id, username, display_name, password_hash) VALUES
         (gen_random_uuid(), 'office_supervisor', '销售主管 李明', '${passwordHash}'),
         (gen_random_uuid(), 'office_management', '公司管理层 陈总', '${passwordHash}');
       INSERT INTO user_roles (user_id, role_name)
         SELECT id, CASE username WHEN 'office_supervisor' THEN 'sales_supervisor' ELSE 'management' END FROM users
         WHERE username IN ('office_supervisor', 'office_management');
       INSERT INTO project_members (project_id, user_id)
         SELECT p.id, u.id FROM projects p, users u WHERE u.username IN ('office_supervisor', 'office_management')`,
    ],
    [
      'follow-up processes',
      `SET session_replication_role = replica;
       CREATE TEMP TABLE office_processes AS
         SELECT 'customer-follow-up:' || c.id AS id, c.project_id, c.owner_id, c.name, c.id AS customer_id, k,
           CASE WHEN k < ${RUNNING} THEN now() - random() * interval '30 days' ELSE now() - interval '730 days' + random() * interval '700 days' END AS started_at
         FROM (SELECT c.*, row_number() OVER (ORDER BY c.id) - 1 AS k FROM customers c) c WHERE k < ${PROCESSES};
       INSERT INTO process_instances (id, project_id, definition_key, definition_version, title, status, input, started_by_id, started_at, finished_at, outcome)
         SELECT id, project_id, 'customer-follow-up', 1, '客户跟进 · ' || name, CASE WHEN k < ${RUNNING} THEN 'running' ELSE 'completed' END,
           jsonb_build_object('customerId', customer_id), owner_id, started_at,
           CASE WHEN k < ${RUNNING} THEN NULL ELSE started_at + interval '40 days' END, CASE WHEN k < ${RUNNING} THEN NULL ELSE 'done' END
         FROM office_processes`,
    ],
    [
      'tasks',
      // Seven follow-ups a process, the last one open while the process runs: ~210,000 tasks.
      `INSERT INTO tasks (id, process_id, task_key, step_id, title, original_role, assignee_role, assignee_user_id, status, due_at,
           outcomes, outcome, completed_by_id, completed_at, created_at)
         SELECT gen_random_uuid(), p.id, 'follow-up-' || n, 'follow-up', '第 ' || n || ' 次回访 ' || p.name, 'sales_agent', 'sales_agent', p.owner_id,
           CASE WHEN p.k < ${RUNNING} AND n = 7 THEN 'open' ELSE 'completed' END,
           CASE WHEN p.k < ${RUNNING} AND n = 7 THEN now() - interval '10 days' + random() * interval '20 days' ELSE p.started_at + n * interval '5 days' END,
           ARRAY['done'], CASE WHEN p.k < ${RUNNING} AND n = 7 THEN NULL ELSE 'done' END,
           CASE WHEN p.k < ${RUNNING} AND n = 7 THEN NULL ELSE p.owner_id END,
           CASE WHEN p.k < ${RUNNING} AND n = 7 THEN NULL ELSE p.started_at + n * interval '5 days' - interval '1 day' END,
           p.started_at + (n - 1) * interval '5 days'
         FROM office_processes p, generate_series(1, 7) n;
       SET session_replication_role = origin`,
    ],
    [
      'audit trail',
      `INSERT INTO audit_events (at, actor_id, actor_name, action, object_type, object_id, after)
         SELECT c.created_at + (g % 50) * interval '1 hour', c.owner_id, 'bench',
           (ARRAY['customer.register', 'customer.update', 'customer.follow_up', 'task.complete'])[g % 4 + 1],
           CASE WHEN g % 4 = 3 THEN 'task' ELSE 'customer' END, c.id::text, jsonb_build_object('n', g)
         FROM generate_series(1, ${AUDIT}) g
         JOIN (SELECT c.*, row_number() OVER (ORDER BY c.id) AS r FROM customers c) c ON c.r = g % 30000 + 1
         ORDER BY 1`,
    ],
    ['statistics', 'ANALYZE'],
  ];
}

/** Builds the office; returns what it made. */
export async function generateOffice(o: OfficeOptions, log: (line: string) => void = console.log) {
  const started = Date.now();
  // 3 projects × 1,000 units, 60 agents, 30,000 customers (0.6 × the visits), 2,400 deals.
  await generateAnalyticsData({ databaseUrl: o.databaseUrl, projects: 3, days: 730, visits: 50_000, deals: 2_400, agents: 20 }, log);
  const prisma = createPrismaClient(o.databaseUrl);
  try {
    await ensureDefaultRoles(prisma);
  } finally {
    await prisma.$disconnect();
  }
  const passwordHash = await hashPassword(o.password);
  const db = new Client({ connectionString: o.databaseUrl });
  await db.connect();
  try {
    for (const [what, sql] of statements(passwordHash.replace(/'/g, "''"))) {
      const t = Date.now();
      await db.query(sql);
      log(`  ${what}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const count = async (table: string, where = '') => Number((await db.query(`SELECT count(*) AS n FROM ${table} ${where}`)).rows[0].n);
    return {
      totalMs: Date.now() - started,
      counts: {
        projects: await count('projects'),
        units: await count('units'),
        agents: await count('user_roles', `WHERE role_name = 'sales_agent'`),
        customers: await count('customers'),
        customerEvents: await count('customer_events'),
        processes: await count('process_instances'),
        running: await count('process_instances', `WHERE status = 'running'`),
        tasks: await count('tasks'),
        openTasks: await count('tasks', `WHERE status = 'open'`),
        audit: await count('audit_events'),
      },
    };
  } finally {
    await db.end();
  }
}

if (require.main === module) {
  const options = officeOptions();
  console.log(`generating a large office into ${options.databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
  generateOffice(options)
    .then((r) => console.log(`done in ${(r.totalMs / 1000).toFixed(1)} s`, r.counts))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
