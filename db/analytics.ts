import { ANALYTICS_MEASURES, type AnalyticsMeasure, type Figures, type Period } from '../domain';
import type { Db, PrismaClient } from './client';
import { Prisma } from './client';

// The analytics rollups (issue 11). `analytics_daily` (and `analytics_monthly`) hold, per business day
// (in the organisation's business time zone, `business_time_zone()`) × project ×
// agent × channel × intent level, the counts and amounts of the customer facts; every
// fact is a row of `customer_events` (registration, visit, classification, follow-up,
// order, payment, stage move to paid, cancellation, refund), so `appendCustomerEvent`
// is the one home that keeps it current, in the fact's own transaction. One SQL
// statement below computes the contribution of a set of events: the same statement
// adds a new event, moves a customer's history when its channel, intent level or
// owner changes, and rebuilds the whole table — so the three cannot disagree.
// `analytics_unit_stats` is kept by triggers (see the migration) and rebuilt here.

/** Event types that count in `analytics_daily`. */
export const FACT_EVENT_TYPES = ['registered', 'visit', 'classified', 'follow_up', 'order', 'payment', 'stage', 'cancellation', 'refund'];

/**
 * The stages in which a customer is still followed up: a planned next contact counts
 * (and can be overdue) only there; a move out of them clears it (`moveStage`).
 */
export const FOLLOWED_STAGES = ['visitor', 'intent', 'subscribed'];

/** The measures of `analytics_daily`, as SQL over `customer_events e`. */
const MEASURES: readonly [column: string, expression: string][] = [
  ['visits', `count(*) FILTER (WHERE e.type IN ('registered', 'visit'))`],
  ['registrations', `count(*) FILTER (WHERE e.type = 'registered')`],
  ['intents', `count(*) FILTER (WHERE e.type = 'classified')`],
  ['follow_ups', `count(*) FILTER (WHERE e.type = 'follow_up')`],
  ['subscriptions', `count(*) FILTER (WHERE e.type = 'order' AND e.data->>'kind' = 'subscription')`],
  [
    'subscription_amount',
    `coalesce(sum((e.data->>'price')::numeric) FILTER (WHERE e.type = 'order' AND e.data->>'kind' = 'subscription'), 0)`,
  ],
  ['contracts', `count(*) FILTER (WHERE e.type = 'order' AND e.data->>'kind' = 'contract')`],
  ['contract_amount', `coalesce(sum((e.data->>'price')::numeric) FILTER (WHERE e.type = 'order' AND e.data->>'kind' = 'contract'), 0)`],
  ['paid', `count(*) FILTER (WHERE e.type = 'stage' AND e.data->>'to' = 'paid')`],
  ['paid_amount', `coalesce(sum((e.data->>'amount')::numeric) FILTER (WHERE e.type = 'payment'), 0)`],
  ['cancellations', `count(*) FILTER (WHERE e.type = 'cancellation')`],
  ['cancelled_amount', `coalesce(sum((e.data->>'price')::numeric) FILTER (WHERE e.type = 'cancellation'), 0)`],
  ['refund_amount', `coalesce(sum((e.data->>'amount')::numeric) FILTER (WHERE e.type = 'refund'), 0)`],
];

/** The dimensions of a fact, from the event and its customer as they are now. */
const DIMENSIONS = `c.project_id AS project_id, (e.at AT TIME ZONE business_time_zone())::date AS day, coalesce(e.by_id, c.owner_id) AS agent_id,
  coalesce(c.source, '') AS channel, coalesce(c.classification, '') AS intent`;
const KEY = `project_id, day, agent_id, channel, intent`;

/** The rows of `analytics_daily` that the events matching `where` make, each measure times `sign`. */
function contributions(where: Prisma.Sql, sign: 1 | -1): Prisma.Sql {
  const measures = MEASURES.map(([col, expr]) => `${sign} * ${expr} AS ${col}`).join(', ');
  return Prisma.sql`SELECT ${Prisma.raw(DIMENSIONS)}, ${Prisma.raw(measures)}
    FROM customer_events e JOIN customers c ON c.id = e.customer_id
    WHERE e.type IN (${Prisma.join(FACT_EVENT_TYPES)}) AND ${where}
    GROUP BY 1, 2, 3, 4, 5`;
}

/**
 * The coarser rollups, each the daily one summed by fewer dimensions: its table, its
 * key columns and how the key is computed from a daily row. Periods of whole months
 * read the monthly ones; figures that do not need every dimension read the narrower.
 */
const MONTH = `date_trunc('month', day)::date`;
export const DERIVED_ROLLUPS: readonly { table: string; key: string; from: string }[] = (
  [
    ['analytics_monthly', [['project_id'], ['month', MONTH], ['agent_id'], ['channel'], ['intent']]],
    ['analytics_project_daily', [['project_id'], ['day']]],
    ['analytics_agent_daily', [['project_id'], ['day'], ['agent_id']]],
    ['analytics_agent_monthly', [['project_id'], ['month', MONTH], ['agent_id']]],
  ] as const
).map(([table, columns]) => ({
  table,
  key: columns.map(([name]) => name).join(', '),
  from: columns.map((c) => (c.length === 2 ? `${c[1]} AS ${c[0]}` : c[0])).join(', '),
}));

/**
 * Adds (or, with -1, takes away) the contributions of the events matching `where`,
 * to the daily rollup and, in the same statement, to the coarser ones. Rows are
 * upserted in key order, so that two transactions moving several rows (a transfer of
 * many customers) take their locks in the same order instead of deadlocking.
 */
async function apply(db: Db, where: Prisma.Sql, sign: 1 | -1): Promise<void> {
  const cols = MEASURES.map(([c]) => c);
  const list = cols.join(', ');
  const add = cols.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ');
  const sums = cols.map((c) => `sum(${c})`).join(', ');
  const positions = (key: string) =>
    key
      .split(',')
      .map((_, i) => i + 1)
      .join(', ');
  const upsert = (table: string, key: string, select: string) =>
    `INSERT INTO ${table} AS t (${key}, ${list}) ${select} ORDER BY ${positions(key)} ON CONFLICT (${key}) DO UPDATE SET ${add}`;
  const derived = DERIVED_ROLLUPS.map((d) => upsert(d.table, d.key, `SELECT ${d.from}, ${sums} FROM c GROUP BY ${positions(d.key)}`));
  const daily = upsert('analytics_daily', KEY, `SELECT ${KEY}, ${list} FROM c`);
  const ctes = [daily, ...derived.slice(0, -1)].map((statement, i) => `, w${i} AS (${statement})`).join('');
  await db.$executeRaw`WITH c AS (${contributions(where, sign)})${Prisma.raw(ctes)} ${Prisma.raw(derived[derived.length - 1]!)}`;
}

/**
 * Counts one new timeline row in the rollup (called by `appendCustomerEvent` in its
 * transaction, only when the row was written, so a retried activity counts once), and
 * keeps the customer's next planned contact, which the overdue follow-ups list reads.
 */
export async function recordCustomerFact(
  db: Db,
  event: { id: bigint; customerId: string; type: string; at: Date; nextContactAt: Date | null },
): Promise<void> {
  if (!FACT_EVENT_TYPES.includes(event.type)) return;
  await apply(db, Prisma.sql`e.id = ${event.id}`, 1);
  if (event.type === 'follow_up' || event.type === 'classified') {
    // The latest contact plans the next one; a back-dated follow-up does not overrule it.
    await db.$executeRaw`UPDATE customers SET next_contact_at = ${event.nextContactAt}
      WHERE id = ${event.customerId}::uuid AND stage IN (${Prisma.join(FOLLOWED_STAGES)}) AND NOT EXISTS (
        SELECT 1 FROM customer_events x WHERE x.customer_id = ${event.customerId}::uuid
          AND x.type IN ('follow_up', 'classified') AND (x.at > ${event.at} OR (x.at = ${event.at} AND x.id > ${event.id})))`;
  }
}

/**
 * Changes a customer's channel (source), intent level or owner, moving its counted
 * history to the new dimensions in the same transaction: its facts are taken away
 * under the old values and added under the new ones (a customer has tens of
 * timeline rows, read through the `(customer_id, at)` index). So the rollup always
 * equals a recomputation from the facts with the customers as they are now.
 */
export async function updateCustomerDimensions(
  db: Db,
  customerId: string,
  data: Prisma.CustomerUncheckedUpdateInput,
  where: Prisma.CustomerWhereInput = {},
): Promise<number> {
  const moves = 'ownerId' in data || 'source' in data || 'classification' in data;
  if (!moves) return (await db.customer.updateMany({ where: { ...where, id: customerId }, data })).count;
  const mine = Prisma.sql`e.customer_id = ${customerId}::uuid`;
  await apply(db, mine, -1);
  const { count } = await db.customer.updateMany({ where: { ...where, id: customerId }, data });
  await apply(db, mine, 1);
  return count;
}

/** Recomputes both rollups (and the customers' next contacts) from the facts: `npm run analytics:rebuild`. */
export async function rebuildAnalytics(prisma: PrismaClient): Promise<{ dailyRows: number; unitCells: number }> {
  return prisma.$transaction(
    async (tx) => {
      // One rebuild at a time, and no fact counted twice meanwhile: writers take row locks, this the table.
      const tables = ['analytics_daily', ...DERIVED_ROLLUPS.map((d) => d.table)];
      await tx.$executeRaw`LOCK TABLE ${Prisma.raw(tables.join(', '))}, analytics_unit_stats IN EXCLUSIVE MODE`;
      for (const table of tables) await tx.$executeRaw`DELETE FROM ${Prisma.raw(table)}`;
      await apply(tx, Prisma.sql`true`, 1);
      await tx.$executeRaw`DELETE FROM analytics_unit_stats`;
      await tx.$executeRaw`INSERT INTO analytics_unit_stats
        SELECT u.project_id, u.building, u.floor, u.layout, count(*), sum(u.area), sum(u.list_price),
          count(*) FILTER (WHERE u.status = 'sold'), coalesce(sum(u.area) FILTER (WHERE u.status = 'sold'), 0),
          coalesce(sum(u.list_price) FILTER (WHERE u.status = 'sold'), 0), coalesce(sum(o.n), 0), coalesce(sum(o.amount), 0)
        FROM units u
        LEFT JOIN (SELECT unit_id, count(*) AS n, sum(price) AS amount FROM orders
                   WHERE kind = 'contract' AND status = 'signed' GROUP BY unit_id) o ON o.unit_id = u.id
        GROUP BY 1, 2, 3, 4`;
      await tx.$executeRaw`UPDATE customers c SET next_contact_at = l.next_contact_at
        FROM (SELECT DISTINCT ON (customer_id) customer_id, next_contact_at FROM customer_events
              WHERE type IN ('follow_up', 'classified') ORDER BY customer_id, at DESC, id DESC) l
        WHERE l.customer_id = c.id AND c.stage IN (${Prisma.join(FOLLOWED_STAGES)}) AND c.next_contact_at IS DISTINCT FROM l.next_contact_at`;
      await tx.$executeRaw`UPDATE customers SET next_contact_at = NULL
        WHERE next_contact_at IS NOT NULL AND stage NOT IN (${Prisma.join(FOLLOWED_STAGES)})`;
      // The planner's statistics describe the emptied tables until told otherwise.
      await tx.$executeRaw`ANALYZE ${Prisma.raw(tables.join(', '))}, analytics_unit_stats`;
      const [daily] = await tx.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM analytics_daily`;
      const [cells] = await tx.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM analytics_unit_stats`;
      return { dailyRows: Number(daily?.n ?? 0), unitCells: Number(cells?.n ?? 0) };
    },
    { timeout: 3_600_000, maxWait: 60_000 },
  );
}

/**
 * The differences between a project's rollups and a recomputation from its facts,
 * as readable lines (none when they agree). Rows whose measures are all zero (left
 * behind by a moved history) count as absent.
 */
export async function analyticsDrift(db: Db, projectId: string): Promise<string[]> {
  const cols = MEASURES.map(([c]) => c);
  const nonZero = cols.map((c) => `${c} <> 0`).join(' OR ');
  const rows = await db.$queryRaw<{ side: string; key: string; values: string }[]>`
    WITH fresh AS (${contributions(Prisma.sql`c.project_id = ${projectId}`, 1)}),
    fresh_rows AS (SELECT ${Prisma.raw(KEY)}, ${Prisma.raw(cols.join(', '))} FROM fresh
                   WHERE ${Prisma.raw(nonZero)}),
    kept AS (SELECT ${Prisma.raw(KEY)}, ${Prisma.raw(cols.join(', '))} FROM analytics_daily
             WHERE project_id = ${projectId} AND (${Prisma.raw(nonZero)})),
    only_fresh AS (SELECT * FROM fresh_rows EXCEPT SELECT * FROM kept),
    only_kept AS (SELECT * FROM kept EXCEPT SELECT * FROM fresh_rows)
    SELECT 'facts' AS side, concat_ws('/', ${Prisma.raw(KEY)}) AS key, concat_ws(',', ${Prisma.raw(cols.join(', '))}) AS values FROM only_fresh
    UNION ALL
    SELECT 'rollup', concat_ws('/', ${Prisma.raw(KEY)}), concat_ws(',', ${Prisma.raw(cols.join(', '))}) FROM only_kept`;
  const units = await db.$queryRaw<{ side: string; key: string; values: string }[]>`
    WITH fresh AS (
      SELECT u.project_id, u.building, u.floor, u.layout, count(*)::int AS units, sum(u.area) AS area, sum(u.list_price) AS list_amount,
        (count(*) FILTER (WHERE u.status = 'sold'))::int AS sold_units, coalesce(sum(u.area) FILTER (WHERE u.status = 'sold'), 0) AS sold_area,
        coalesce(sum(u.list_price) FILTER (WHERE u.status = 'sold'), 0) AS sold_list,
        coalesce(sum(o.n), 0)::int AS contracts, coalesce(sum(o.amount), 0) AS contract_amount
      FROM units u
      LEFT JOIN (SELECT unit_id, count(*) AS n, sum(price) AS amount FROM orders
                 WHERE project_id = ${projectId} AND kind = 'contract' AND status = 'signed' GROUP BY unit_id) o ON o.unit_id = u.id
      WHERE u.project_id = ${projectId} GROUP BY 1, 2, 3, 4),
    kept AS (SELECT project_id, building, floor, layout, units, area, list_amount, sold_units, sold_area, sold_list, contracts, contract_amount
             FROM analytics_unit_stats WHERE project_id = ${projectId} AND (units <> 0 OR contracts <> 0))
    SELECT 'facts' AS side, concat_ws('/', building, floor, layout) AS key, concat_ws(',', units, area, list_amount, sold_units, sold_area, sold_list, contracts, contract_amount) AS values
      FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept) a
    UNION ALL
    SELECT 'rollup', concat_ws('/', building, floor, layout), concat_ws(',', units, area, list_amount, sold_units, sold_area, sold_list, contracts, contract_amount)
      FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh) b`;
  const derived: { side: string; key: string; values: string }[] = [];
  for (const d of DERIVED_ROLLUPS) {
    const key = Prisma.raw(d.key);
    derived.push(
      ...(await db.$queryRaw<{ side: string; key: string; values: string }[]>`
      WITH by_day AS (SELECT ${Prisma.raw(d.from)}, ${Prisma.raw(cols.map((c) => `sum(${c}) AS ${c}`).join(', '))}
                      FROM analytics_daily WHERE project_id = ${projectId} GROUP BY ${Prisma.raw(
                        d.key
                          .split(',')
                          .map((_, i) => i + 1)
                          .join(', '),
                      )}),
      x AS (SELECT * FROM by_day WHERE ${Prisma.raw(nonZero)}),
      y AS (SELECT ${key}, ${Prisma.raw(cols.join(', '))} FROM ${Prisma.raw(d.table)} WHERE project_id = ${projectId} AND (${Prisma.raw(nonZero)}))
      SELECT ${`days→${d.table}`} AS side, concat_ws('/', ${key}) AS key, concat_ws(',', ${Prisma.raw(cols.join(', '))}) AS values
        FROM (SELECT * FROM x EXCEPT SELECT * FROM y) a
      UNION ALL
      SELECT ${d.table}, concat_ws('/', ${key}), concat_ws(',', ${Prisma.raw(cols.join(', '))}) FROM (SELECT * FROM y EXCEPT SELECT * FROM x) b`),
    );
  }
  return [...rows, ...derived, ...units].map((r) => `${r.side} ${r.key}: ${r.values}`);
}

/** Each measure's column in the rollup tables (the API's names are camel-case). */
export const MEASURE_COLUMNS: Record<AnalyticsMeasure, string> = {
  visits: 'visits',
  registrations: 'registrations',
  intents: 'intents',
  followUps: 'follow_ups',
  subscriptions: 'subscriptions',
  subscriptionAmount: 'subscription_amount',
  contracts: 'contracts',
  contractAmount: 'contract_amount',
  paid: 'paid',
  paidAmount: 'paid_amount',
  cancellations: 'cancellations',
  cancelledAmount: 'cancelled_amount',
  refundAmount: 'refund_amount',
};

/** A select list summing every measure over rollup rows, each named as the API names it. */
export const MEASURE_SUMS = Prisma.raw(
  ANALYTICS_MEASURES.map((m) => `coalesce(sum(${MEASURE_COLUMNS[m]}), 0)::float8 AS "${m}"`).join(', '),
);

/** The figures of a row selected with {@link MEASURE_SUMS}; 0 for a measure it lacks. */
export const figuresOf = (row: Record<string, unknown> | undefined): Figures =>
  Object.fromEntries(ANALYTICS_MEASURES.map((m) => [m, Number(row?.[m] ?? 0)])) as Figures;

/** A project's figures over a period (business days, both ends counted), from its daily rollup. */
export async function projectFigures(db: Db, projectId: string, period: Period): Promise<Figures> {
  const [row] = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT ${MEASURE_SUMS} FROM analytics_project_daily
    WHERE project_id = ${projectId} AND day BETWEEN ${period.from}::date AND ${period.to}::date`;
  return figuresOf(row);
}
