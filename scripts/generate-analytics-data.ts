import { Client } from 'pg';
import { rebuildAnalytics } from '../db/analytics';
import { createPrismaClient } from '../db/client';
import { ensureDatabase, migrate } from '../db/migrate';

/**
 * `npm run analytics:generate`: a large, realistic data set for the analytics
 * benchmark in a database of its own (recreated; default `salesproc_bench`):
 * projects with their agents and units grids, customers registered over the period,
 * return visits, intent registrations, follow-ups with next contacts, subscriptions,
 * contracts, instalments received, cancellations with refunds — the facts as the
 * activities write them (`customer_events`, `orders`, `payments`, `refunds`, `units`,
 * `deals`) — and then the rollups rebuilt from them (`rebuildAnalytics`), timed.
 *
 * Generated inside Postgres (`generate_series`, `INSERT … SELECT`), with the rollup
 * triggers and foreign-key checks off for the load (`session_replication_role =
 * replica`): minutes for the size instead of hours of client round trips.
 * Sizes (flags or environment): --projects (BENCH_PROJECTS, 20), --days (BENCH_DAYS,
 * 730), --visits (BENCH_VISITS, 1,000,000), --deals (BENCH_DEALS, 100,000),
 * --agents (agents per project, BENCH_AGENTS, 10); ANALYTICS_BENCH_DATABASE_URL.
 */
export interface GenerateOptions {
  databaseUrl: string;
  projects: number;
  days: number;
  visits: number;
  deals: number;
  agents: number;
}

/** The options from the command line and the environment. */
export function generateOptions(argv = process.argv.slice(2), env = process.env): GenerateOptions {
  const flag = (name: string, envName: string, fallback: number) => {
    const given = argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? env[envName];
    const value = given === undefined ? fallback : Number(given);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, not ${given}`);
    return value;
  };
  return {
    databaseUrl: env.ANALYTICS_BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/salesproc_bench',
    projects: flag('projects', 'BENCH_PROJECTS', 20),
    days: flag('days', 'BENCH_DAYS', 730),
    visits: flag('visits', 'BENCH_VISITS', 1_000_000),
    deals: flag('deals', 'BENCH_DEALS', 100_000),
    agents: flag('agents', 'BENCH_AGENTS', 10),
  };
}

/** The statements, in order, each with what it makes. Numbers only are interpolated (validated above). */
function statements(o: GenerateOptions): [string, string][] {
  const customers = Math.max(o.projects, Math.round(o.visits * 0.6));
  const unitsPerProject = Math.ceil((o.deals / o.projects) * 1.25);
  return [
    ['settings', `SET session_replication_role = replica; SELECT setseed(0.42)`],
    [
      'projects',
      `INSERT INTO projects (id, name) SELECT 'BP' || lpad(p::text, 2, '0'), '基准项目 ' || p FROM generate_series(1, ${o.projects}) p`,
    ],
    [
      'agents',
      `CREATE TEMP TABLE bench_agents AS
         SELECT 'BP' || lpad(p::text, 2, '0') AS project_id, a AS n, gen_random_uuid() AS id FROM generate_series(1, ${o.projects}) p, generate_series(0, ${o.agents - 1}) a;
       INSERT INTO users (id, username, display_name, password_hash)
         SELECT id, 'bench_' || project_id || '_' || n, '置业顾问 ' || project_id || '-' || n, 'no sign-in' FROM bench_agents;
       INSERT INTO project_members (project_id, user_id) SELECT project_id, id FROM bench_agents`,
    ],
    [
      'units',
      `CREATE TEMP TABLE bench_units AS
         SELECT gen_random_uuid() AS id, 'BP' || lpad(p::text, 2, '0') AS project_id, i AS idx, 'B' || (i % 8 + 1) AS building,
           lpad(i::text, 5, '0') AS unit_no, (i / 8) % 32 + 1 AS floor,
           (ARRAY['1室', '2室', '3室', '4室', '复式'])[i % 5 + 1] AS layout, (ARRAY[55, 80, 110, 140, 180])[i % 5 + 1]::numeric AS area, p
         FROM generate_series(1, ${o.projects}) p, generate_series(0, ${unitsPerProject - 1}) i;
       CREATE INDEX ON bench_units (project_id, idx);
       INSERT INTO units (id, project_id, building, unit_no, floor, area, layout, list_price)
         SELECT id, project_id, building, unit_no, floor, area, layout, round(area * (18000 + p * 400 + floor * 120)) FROM bench_units`,
    ],
    [
      'customers',
      `CREATE TEMP TABLE bench_customers AS
         SELECT i AS n, gen_random_uuid() AS id, 'BP' || lpad((i % ${o.projects} + 1)::text, 2, '0') AS project_id,
           (i / ${o.projects}) % ${o.agents} AS agent,
           (ARRAY['walk-in', 'walk-in', 'walk-in', 'referral', 'referral', 'ad', 'ad', 'event', 'online', 'phone'])[floor(random() * 10)::int + 1] AS source,
           CASE WHEN r < 0.10 THEN 'A' WHEN r < 0.25 THEN 'B' WHEN r < 0.40 THEN 'C' END AS class,
           date_trunc('day', now()) - ${o.days} * interval '1 day' + random() * ${o.days} * interval '1 day' AS created_at
         FROM (SELECT i, random() AS r FROM generate_series(0, ${customers - 1}) i) x;
       ALTER TABLE bench_customers ADD COLUMN owner_id uuid;
       UPDATE bench_customers c SET owner_id = a.id FROM bench_agents a WHERE a.project_id = c.project_id AND a.n = c.agent;
       CREATE UNIQUE INDEX ON bench_customers (n);
       INSERT INTO customers (id, project_id, name, phone, owner_id, protected_from, classification, source, created_at, updated_at)
         SELECT id, project_id, '客户' || n, '13' || lpad(n::text, 9, '0'), owner_id, created_at, class, source, created_at, created_at FROM bench_customers`,
    ],
    [
      'registrations and visits',
      `INSERT INTO customer_events (customer_id, at, type, by_id, by_name)
         SELECT id, created_at, 'registered', owner_id, 'bench' FROM bench_customers;
       INSERT INTO customer_events (customer_id, at, type, by_id, by_name)
         SELECT c.id, least(c.created_at + random() * interval '45 days', now()), 'visit', c.owner_id, 'bench'
         FROM (SELECT floor(random() * ${customers})::int AS n FROM generate_series(1, ${Math.max(0, o.visits - customers)})) v
         JOIN bench_customers c ON c.n = v.n`,
    ],
    [
      'intent registrations and follow-ups',
      `INSERT INTO customer_events (customer_id, at, type, by_id, by_name, next_contact_at, data)
         SELECT id, created_at + interval '2 hours', 'classified', owner_id, 'bench', created_at + interval '7 days', jsonb_build_object('intentLevel', class)
         FROM bench_customers WHERE class IS NOT NULL AND created_at + interval '2 hours' < now();
       INSERT INTO customer_events (customer_id, at, type, channel, result, by_id, by_name, next_contact_at)
         SELECT c.id, f.at, 'follow_up', (ARRAY['phone', 'wechat', 'visit'])[k % 3 + 1], 'continue', c.owner_id, 'bench', f.at + interval '10 days'
         FROM bench_customers c, generate_series(1, 2) k,
           LATERAL (SELECT c.created_at + (k * 8 + random() * 6) * interval '1 day' AS at) f
         WHERE c.class IS NOT NULL AND f.at < now()`,
    ],
    [
      'deals',
      `CREATE TEMP TABLE bench_deals AS
         SELECT d.*, row_number() OVER (PARTITION BY d.project_id ORDER BY d.created_at) - 1 AS k,
           d.created_at + (3 + random() * 10) * interval '1 day' AS subscribed_at, random() AS r1, random() AS r2
         FROM (SELECT * FROM bench_customers WHERE class IS NOT NULL AND created_at < now() - interval '14 days' ORDER BY random() LIMIT ${o.deals}) d;
       ALTER TABLE bench_deals ADD COLUMN unit_id uuid, ADD COLUMN list_price numeric, ADD COLUMN price numeric,
         ADD COLUMN contracted_at timestamptz, ADD COLUMN cancelled_at timestamptz, ADD COLUMN paid_at timestamptz, ADD COLUMN sub_process text;
       UPDATE bench_deals d SET unit_id = u.id, list_price = x.list_price, price = round(x.list_price * (0.95 + d.r1 * 0.05)), sub_process = 'bench:' || d.id,
           contracted_at = CASE WHEN d.r2 < 0.9 AND d.subscribed_at + interval '15 days' < now() THEN d.subscribed_at + interval '15 days' END
         FROM bench_units u JOIN units x ON x.id = u.id WHERE u.project_id = d.project_id AND u.idx = d.k;
       DELETE FROM bench_deals WHERE unit_id IS NULL;
       UPDATE bench_deals SET cancelled_at = contracted_at + interval '20 days' WHERE r2 < 0.03 AND contracted_at + interval '20 days' < now();
       UPDATE bench_deals SET paid_at = contracted_at + interval '60 days' WHERE cancelled_at IS NULL AND contracted_at + interval '60 days' < now()`,
    ],
    [
      'orders, payments, refunds',
      `INSERT INTO orders (id, project_id, customer_id, unit_id, agent_id, kind, process_id, holder_process_id, number, list_price, price, discount,
           payment_method, status, signed_at, cancelled_at, created_at)
         SELECT gen_random_uuid(), project_id, id, unit_id, owner_id, 'subscription', sub_process, sub_process, 'RG' || k, list_price, price, list_price - price,
           'instalments', CASE WHEN cancelled_at IS NULL THEN 'signed' ELSE 'cancelled' END, subscribed_at, cancelled_at, subscribed_at FROM bench_deals;
       INSERT INTO orders (id, project_id, customer_id, unit_id, agent_id, kind, process_id, holder_process_id, number, list_price, price, discount,
           payment_method, approval_level, status, signed_at, cancelled_at, created_at)
         SELECT gen_random_uuid(), project_id, id, unit_id, owner_id, 'contract', sub_process || '/contract', sub_process, 'HT' || k, list_price, price, list_price - price,
           'instalments', 'agent', CASE WHEN cancelled_at IS NULL THEN 'signed' ELSE 'cancelled' END, contracted_at, cancelled_at, contracted_at
         FROM bench_deals WHERE contracted_at IS NOT NULL;
       INSERT INTO payments (id, order_id, seq, due_at, amount, paid_amount, paid_at, method)
         SELECT gen_random_uuid(), o.id, s.seq, s.due, s.amount, CASE WHEN s.due < now() AND d.cancelled_at IS NULL THEN s.amount END,
           CASE WHEN s.due < now() AND d.cancelled_at IS NULL THEN s.due END, 'transfer'
         FROM bench_deals d JOIN orders o ON o.process_id = d.sub_process || '/contract' AND o.kind = 'contract',
           LATERAL (VALUES (1, d.contracted_at, round(d.price * 0.3)), (2, d.contracted_at + interval '60 days', d.price - round(d.price * 0.3))) s(seq, due, amount);
       INSERT INTO refunds (id, order_id, process_id, reason, amount, status, refunded_at, created_at)
         SELECT gen_random_uuid(), o.id, d.sub_process || '/cancel', '客户退房', round(d.price * 0.3), 'refunded', d.cancelled_at + interval '5 days', d.cancelled_at
         FROM bench_deals d JOIN orders o ON o.process_id = d.sub_process || '/contract' AND o.kind = 'contract' WHERE d.cancelled_at IS NOT NULL`,
    ],
    [
      'order facts',
      `INSERT INTO customer_events (customer_id, at, type, by_id, by_name, process_id, data)
         SELECT id, subscribed_at, 'order', owner_id, 'bench', sub_process, jsonb_build_object('kind', 'subscription', 'price', price) FROM bench_deals
         UNION ALL
         SELECT id, contracted_at, 'order', owner_id, 'bench', sub_process, jsonb_build_object('kind', 'contract', 'price', price) FROM bench_deals WHERE contracted_at IS NOT NULL
         UNION ALL
         SELECT id, contracted_at, 'payment', owner_id, 'bench', sub_process, jsonb_build_object('seq', 1, 'amount', round(price * 0.3)) FROM bench_deals
           WHERE contracted_at IS NOT NULL AND contracted_at < now() AND (cancelled_at IS NULL)
         UNION ALL
         SELECT id, paid_at, 'payment', owner_id, 'bench', sub_process, jsonb_build_object('seq', 2, 'amount', price - round(price * 0.3)) FROM bench_deals WHERE paid_at IS NOT NULL
         UNION ALL
         SELECT id, paid_at, 'stage', NULL, 'system', sub_process, jsonb_build_object('from', 'signed', 'to', 'paid') FROM bench_deals WHERE paid_at IS NOT NULL
         UNION ALL
         SELECT id, cancelled_at, 'cancellation', owner_id, 'bench', sub_process, jsonb_build_object('kind', 'contract', 'price', price, 'refund', round(price * 0.3))
           FROM bench_deals WHERE cancelled_at IS NOT NULL
         UNION ALL
         SELECT id, cancelled_at + interval '5 days', 'refund', NULL, 'system', sub_process, jsonb_build_object('amount', round(price * 0.3))
           FROM bench_deals WHERE cancelled_at IS NOT NULL AND cancelled_at + interval '5 days' < now()`,
    ],
    [
      'stages, deals, units',
      `UPDATE customers c SET stage = CASE WHEN d.cancelled_at IS NOT NULL THEN 'lost' WHEN d.paid_at IS NOT NULL THEN 'paid'
           WHEN d.contracted_at IS NOT NULL THEN 'signed' ELSE 'subscribed' END
         FROM bench_deals d WHERE d.id = c.id;
       UPDATE customers SET stage = CASE WHEN classification IS NULL THEN 'visitor' ELSE 'intent' END WHERE stage = 'visitor' AND created_at > now() - interval '120 days';
       UPDATE customers SET stage = 'lost', lost_reason = '长期未跟进' WHERE stage = 'visitor' AND created_at <= now() - interval '120 days';
       INSERT INTO deals (id, project_id, customer_id, origin_process_id, unit_id, stage, expected_amount, probability)
         SELECT gen_random_uuid(), project_id, id, sub_process, unit_id, CASE WHEN cancelled_at IS NOT NULL THEN 'lost' WHEN paid_at IS NOT NULL THEN 'paid'
           WHEN contracted_at IS NOT NULL THEN 'signed' ELSE 'subscribed' END, price, 0.7 FROM bench_deals;
       UPDATE units u SET status = CASE WHEN d.contracted_at IS NOT NULL THEN 'sold' ELSE 'subscribed' END, holder_process_id = d.sub_process
         FROM bench_deals d WHERE d.unit_id = u.id AND d.cancelled_at IS NULL;
       SET session_replication_role = origin`,
    ],
    [
      'targets',
      `INSERT INTO sales_targets (id, project_id, user_id, period_start, period_end, period, units, amount, visits, follow_ups)
         SELECT gen_random_uuid(), p.id, coalesce(a.id::text, ''), m::date, (m + interval '1 month')::date, 'month',
           CASE WHEN a.id IS NULL THEN 200 ELSE 20 END, CASE WHEN a.id IS NULL THEN 400000000 ELSE 40000000 END,
           CASE WHEN a.id IS NULL THEN 2000 ELSE 200 END, CASE WHEN a.id IS NULL THEN 1000 ELSE 100 END
         FROM projects p
         CROSS JOIN generate_series(date_trunc('month', now()) - interval '11 months', date_trunc('month', now()), interval '1 month') m
         LEFT JOIN LATERAL (SELECT id FROM bench_agents WHERE project_id = p.id UNION ALL SELECT NULL) a ON true`,
    ],
    ['statistics', `ANALYZE`],
  ];
}

/** Drops the benchmark's database (it is the generator's own, never the application's). */
async function dropDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`Unsupported database name: ${name}`);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Generates the data set; returns the counts of what it made and the timings. */
export async function generateAnalyticsData(o: GenerateOptions, log: (line: string) => void = console.log) {
  const started = Date.now();
  await dropDatabase(o.databaseUrl);
  await ensureDatabase(o.databaseUrl);
  await migrate(o.databaseUrl);
  const db = new Client({ connectionString: o.databaseUrl });
  await db.connect();
  try {
    for (const [what, sql] of statements(o)) {
      const t = Date.now();
      await db.query(sql);
      log(`  ${what}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    await db.end();
  }
  const prisma = createPrismaClient(o.databaseUrl);
  try {
    const t = Date.now();
    const rebuilt = await rebuildAnalytics(prisma);
    const rebuildMs = Date.now() - t;
    log(`  rollups rebuilt: ${rebuilt.dailyRows} daily rows, ${rebuilt.unitCells} unit cells in ${(rebuildMs / 1000).toFixed(1)} s`);
    await prisma.$executeRawUnsafe('ANALYZE customers');
    const count = async (sql: string) => Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>(sql))[0]!.n);
    const counts = {
      projects: await count('SELECT count(*) AS n FROM projects'),
      units: await count('SELECT count(*) AS n FROM units'),
      customers: await count('SELECT count(*) AS n FROM customers'),
      visits: await count(`SELECT count(*) AS n FROM customer_events WHERE type IN ('registered', 'visit')`),
      events: await count('SELECT count(*) AS n FROM customer_events'),
      subscriptions: await count(`SELECT count(*) AS n FROM orders WHERE kind = 'subscription'`),
      contracts: await count(`SELECT count(*) AS n FROM orders WHERE kind = 'contract'`),
      payments: await count('SELECT count(*) AS n FROM payments'),
      dailyRows: rebuilt.dailyRows,
    };
    return { counts, rebuildMs, totalMs: Date.now() - started };
  } finally {
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  const options = generateOptions();
  console.log(`generating into ${options.databaseUrl.replace(/:[^:@/]*@/, ':***@')}:`, { ...options, databaseUrl: undefined });
  generateAnalyticsData(options)
    .then((r) => console.log(`done in ${(r.totalMs / 1000).toFixed(1)} s`, r.counts))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
