import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { startApi } from '../api/server';
import { loadConfig } from '../config/env';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { createServices } from '../api/services';
import { resolveTemporalCli, startDevServer } from '../scripts/temporal-server';
import { generateOffice, officeOptions } from '../scripts/generate-office';
import { freePort } from '../test/support/global-setup';
import type { Principal } from '../api/services/auth-service';

/**
 * `npm run bench:office`: the lists a large sales office reads all day, over HTTP,
 * on the data set of `npm run demo:large` (3 projects, 30,000 customers, 60 agents,
 * ~210,000 tasks, 5,000 running processes, 200,000 audit entries; generated first
 * unless BENCH_REUSE=1). Each call runs BENCH_RUNS times (default 40) after warm-up;
 * p50/p95/max side by side. Then the plan of every list's SQL, as Prisma sends it
 * (captured from its query log), with EXPLAIN ANALYZE: the index it uses and the
 * time in Postgres. Figures only; nothing is asserted. Goal: p95 ≤ 100 ms each.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 40);

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

async function main(): Promise<void> {
  const options = officeOptions();
  if (process.env.BENCH_REUSE !== '1') {
    const generated = await generateOffice(options, (line) => console.log(line));
    console.log(`generated in ${(generated.totalMs / 1000).toFixed(1)} s:`, generated.counts);
  }
  const cli = resolveTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!cli) throw new Error('no Temporal CLI: npm run temporal:install');
  const temporal = await startDevServer({ cli, port: await freePort() });
  const config = loadConfig({ DATABASE_URL: options.databaseUrl, TEMPORAL_ADDRESS: temporal.address, PORT: '0', LOG_LEVEL: 'warn' });
  const api = await startApi(config);
  try {
    const login = async (username: string) => {
      const res = await fetch(`${api.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: options.password }),
      });
      if (!res.ok) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    };
    const [agent, supervisor, management] = (await Promise.all(['office_agent', 'office_supervisor', 'office_management'].map(login))) as [
      string,
      string,
      string,
    ];
    const get = async (token: string, path: string) => {
      const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { items?: { id: string }[]; nextCursor?: string | null };
      if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      return body;
    };
    const db = new Client({ connectionString: options.databaseUrl });
    await db.connect();
    const customerIds = (await db.query(`SELECT id FROM customers WHERE project_id = 'BP01' ORDER BY random() LIMIT 200`)).rows.map(
      (r: { id: string }) => r.id,
    );
    await db.end();
    const someDigits = () => String(Math.floor(Math.random() * 10_000)).padStart(4, '0');
    // A cursor deep in the list: the fifth page's, read once.
    let deep = '/api/customers?projectId=BP01&limit=50';
    for (let i = 0; i < 5; i++) deep = `/api/customers?projectId=BP01&limit=50&cursor=${(await get(supervisor, deep)).nextCursor}`;
    let deepAudit = '/api/audit?limit=50';
    for (let i = 0; i < 5; i++) deepAudit = `/api/audit?limit=50&cursor=${(await get(management, deepAudit)).nextCursor}`;

    const calls: [string, () => Promise<unknown>][] = [
      ['customers · first page (50, with total)', () => get(supervisor, '/api/customers?projectId=BP01&limit=50')],
      ['customers · sixth page', () => get(supervisor, deep)],
      ['customers · by name', () => get(supervisor, `/api/customers?projectId=BP01&q=${encodeURIComponent('客户12')}`)],
      ['customers · last 4 digits of a phone', () => get(supervisor, `/api/customers?projectId=BP01&q=${someDigits()}`)],
      ["customers · an agent's own", () => get(agent, '/api/customers?projectId=BP01&owner=me')],
      ['one customer in full', () => get(supervisor, `/api/customers/${customerIds[Math.floor(Math.random() * customerIds.length)]}`)],
      ['my tasks (an agent)', () => get(agent, '/api/tasks?mine=true')],
      ["supervisor's open tasks · overdue", () => get(supervisor, '/api/tasks?overdue=true&projectId=BP01')],
      ['tasks · by title', () => get(supervisor, `/api/tasks?projectId=BP01&q=${encodeURIComponent('第 3 次')}`)],
      ['processes · running, newest first', () => get(supervisor, '/api/processes?projectId=BP01&status=running')],
      ['processes · by business key', () => get(supervisor, `/api/processes?q=${customerIds[0]!.slice(0, 8)}`)],
      ['audit trail · first page', () => get(management, '/api/audit?limit=50')],
      ['audit trail · sixth page', () => get(management, deepAudit)],
      ['audit trail · one object', () => get(management, `/api/audit?objectType=customer&objectId=${customerIds[1]}`)],
    ];
    console.log(`\n${'call over HTTP'.padEnd(42)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
    for (const [name, call] of calls) {
      for (let i = 0; i < 3; i++) await call();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await call();
        times.push(performance.now() - t);
      }
      const f = (n: number) => n.toFixed(1).padStart(8);
      console.log(`${name.padEnd(42)} ${f(pct(times, 50))} ${f(pct(times, 95))} ${f(Math.max(...times))}`);
    }
    await explainLists(options.databaseUrl);
  } finally {
    await api.close();
    await temporal.stop();
  }
}

/**
 * Runs the services' list queries once with Prisma's query log on, then EXPLAIN
 * ANALYZE on each captured statement with its parameters: the plan's top node, the
 * indexes it reads and Postgres's time.
 */
async function explainLists(databaseUrl: string): Promise<void> {
  const logged = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }), log: [{ emit: 'event', level: 'query' }] });
  const captured: { query: string; params: unknown[] }[] = [];
  logged.$on('query', (e) => captured.push({ query: e.query, params: JSON.parse(e.params) as unknown[] }));
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' });
  const services = createServices({ config, prisma: logged, temporal: undefined as never });
  const users = await logged.user.findMany({ where: { username: { in: ['office_agent', 'office_supervisor', 'office_management'] } } });
  const principal = (username: string, roles: string[], projects: Set<string> | 'all', permissions: string[]): Principal => ({
    userId: users.find((u) => u.username === username)!.id,
    username,
    displayName: username,
    sessionId: 'bench',
    roles,
    permissions: new Set(permissions) as Principal['permissions'],
    projects,
    mustChangePassword: false,
  });
  const { DEFAULT_ROLES } = await import('../api/permissions');
  const supervisor = principal('office_supervisor', ['sales_supervisor'], new Set(['BP01', 'BP02', 'BP03']), [
    ...DEFAULT_ROLES.sales_supervisor!.permissions,
  ]);
  const agent = principal('office_agent', ['sales_agent'], new Set(['BP01']), [...DEFAULT_ROLES.sales_agent!.permissions]);
  const cases: [string, () => Promise<unknown>][] = [
    ['customers first page', () => services.customers.list(supervisor, { projectId: 'BP01', limit: 50 })],
    ['customers last 4 digits', () => services.customers.list(supervisor, { projectId: 'BP01', q: '1234', limit: 50 })],
    ['customers by name', () => services.customers.list(supervisor, { projectId: 'BP01', q: '客户12', limit: 50 })],
    ['my tasks', () => services.tasks.list(agent, { mine: true, limit: 50 })],
    ['tasks by title', () => services.tasks.list(supervisor, { projectId: 'BP01', q: '第 3 次', limit: 50 })],
    ['processes running', () => services.processes.list(supervisor, { projectId: 'BP01', status: 'running', limit: 50 })],
    ['audit first page', () => services.audit.query({ limit: 50 })],
  ];
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  console.log('\nplans (EXPLAIN ANALYZE of the statements Prisma sent):');
  for (const [name, run] of cases) {
    captured.length = 0;
    await run();
    for (const { query, params } of captured.filter((c) => /^\s*(SELECT|WITH)/i.test(c.query))) {
      const plan = await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${query}`, params).catch((err: Error) => ({ error: err.message }));
      if ('error' in plan) {
        console.log(`  ${name}: (not explained: ${plan.error})`);
        continue;
      }
      const top = (plan.rows[0] as { 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] })['QUERY PLAN'][0];
      const indexes = new Set<string>();
      const seqScans = new Set<string>();
      const walk = (node: PlanNode) => {
        if (node['Index Name']) indexes.add(node['Index Name']);
        if (node['Node Type'] === 'Seq Scan' && node['Relation Name']) seqScans.add(node['Relation Name']);
        for (const child of node.Plans ?? []) walk(child);
      };
      walk(top.Plan);
      const table = /FROM "public"\."(\w+)"/.exec(query)?.[1] ?? '?';
      console.log(
        `  ${name.padEnd(26)} ${table.padEnd(18)} ${top['Execution Time'].toFixed(1).padStart(7)} ms  ` +
          `indexes: ${[...indexes].join(', ') || '—'}${seqScans.size ? `  seq scans: ${[...seqScans].join(', ')}` : ''}`,
      );
    }
  }
  await db.end();
  await logged.$disconnect();
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
