-- Issue 11: analytics rollups. `analytics_daily` is kept by the application
-- (db/analytics.ts, called where the facts are written); `analytics_unit_stats` by
-- the triggers below, because units are written by many paths (bulk creation, the
-- seed, the unit moves of the processes) and a trigger is the one place none can
-- bypass. `npm run analytics:rebuild` recomputes both from the facts.

-- AlterTable
ALTER TABLE "customers" ADD COLUMN "next_contact_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "analytics_daily" (
    "project_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "agent_id" UUID NOT NULL,
    "channel" TEXT NOT NULL DEFAULT '',
    "intent" TEXT NOT NULL DEFAULT '',
    "visits" INTEGER NOT NULL DEFAULT 0,
    "registrations" INTEGER NOT NULL DEFAULT 0,
    "intents" INTEGER NOT NULL DEFAULT 0,
    "follow_ups" INTEGER NOT NULL DEFAULT 0,
    "subscriptions" INTEGER NOT NULL DEFAULT 0,
    "subscription_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "contracts" INTEGER NOT NULL DEFAULT 0,
    "contract_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "paid" INTEGER NOT NULL DEFAULT 0,
    "paid_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "cancellations" INTEGER NOT NULL DEFAULT 0,
    "cancelled_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "refund_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_daily_pkey" PRIMARY KEY ("project_id","day","agent_id","channel","intent")
);

-- CreateTable
CREATE TABLE "analytics_monthly" (
    "project_id" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "agent_id" UUID NOT NULL,
    "channel" TEXT NOT NULL DEFAULT '',
    "intent" TEXT NOT NULL DEFAULT '',
    "visits" INTEGER NOT NULL DEFAULT 0,
    "registrations" INTEGER NOT NULL DEFAULT 0,
    "intents" INTEGER NOT NULL DEFAULT 0,
    "follow_ups" INTEGER NOT NULL DEFAULT 0,
    "subscriptions" INTEGER NOT NULL DEFAULT 0,
    "subscription_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "contracts" INTEGER NOT NULL DEFAULT 0,
    "contract_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "paid" INTEGER NOT NULL DEFAULT 0,
    "paid_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "cancellations" INTEGER NOT NULL DEFAULT 0,
    "cancelled_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "refund_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_monthly_pkey" PRIMARY KEY ("project_id","month","agent_id","channel","intent")
);

-- CreateTable
CREATE TABLE "analytics_project_daily" (
    "project_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "visits" INTEGER NOT NULL DEFAULT 0,
    "registrations" INTEGER NOT NULL DEFAULT 0,
    "intents" INTEGER NOT NULL DEFAULT 0,
    "follow_ups" INTEGER NOT NULL DEFAULT 0,
    "subscriptions" INTEGER NOT NULL DEFAULT 0,
    "subscription_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "contracts" INTEGER NOT NULL DEFAULT 0,
    "contract_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "paid" INTEGER NOT NULL DEFAULT 0,
    "paid_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "cancellations" INTEGER NOT NULL DEFAULT 0,
    "cancelled_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "refund_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_project_daily_pkey" PRIMARY KEY ("project_id","day")
);

-- CreateTable
CREATE TABLE "analytics_agent_daily" (
    "project_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "agent_id" UUID NOT NULL,
    "visits" INTEGER NOT NULL DEFAULT 0,
    "registrations" INTEGER NOT NULL DEFAULT 0,
    "intents" INTEGER NOT NULL DEFAULT 0,
    "follow_ups" INTEGER NOT NULL DEFAULT 0,
    "subscriptions" INTEGER NOT NULL DEFAULT 0,
    "subscription_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "contracts" INTEGER NOT NULL DEFAULT 0,
    "contract_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "paid" INTEGER NOT NULL DEFAULT 0,
    "paid_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "cancellations" INTEGER NOT NULL DEFAULT 0,
    "cancelled_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "refund_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_agent_daily_pkey" PRIMARY KEY ("project_id","day","agent_id")
);

-- CreateTable
CREATE TABLE "analytics_agent_monthly" (
    "project_id" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "agent_id" UUID NOT NULL,
    "visits" INTEGER NOT NULL DEFAULT 0,
    "registrations" INTEGER NOT NULL DEFAULT 0,
    "intents" INTEGER NOT NULL DEFAULT 0,
    "follow_ups" INTEGER NOT NULL DEFAULT 0,
    "subscriptions" INTEGER NOT NULL DEFAULT 0,
    "subscription_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "contracts" INTEGER NOT NULL DEFAULT 0,
    "contract_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "paid" INTEGER NOT NULL DEFAULT 0,
    "paid_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "cancellations" INTEGER NOT NULL DEFAULT 0,
    "cancelled_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "refund_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_agent_monthly_pkey" PRIMARY KEY ("project_id","month","agent_id")
);

-- CreateTable
CREATE TABLE "analytics_unit_stats" (
    "project_id" TEXT NOT NULL,
    "building" TEXT NOT NULL,
    "floor" INTEGER NOT NULL,
    "layout" TEXT NOT NULL,
    "units" INTEGER NOT NULL DEFAULT 0,
    "area" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "list_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "sold_units" INTEGER NOT NULL DEFAULT 0,
    "sold_area" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "sold_list" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "contracts" INTEGER NOT NULL DEFAULT 0,
    "contract_amount" DECIMAL(16,2) NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_unit_stats_pkey" PRIMARY KEY ("project_id","building","floor","layout")
);

-- CreateIndex
CREATE INDEX "customers_project_id_next_contact_at_idx" ON "customers"("project_id", "next_contact_at");

-- CreateIndex
CREATE INDEX "analytics_daily_project_id_agent_id_day_idx" ON "analytics_daily"("project_id", "agent_id", "day");

-- The units grid rollup: each row of `units` adds its unit (and, sold, its sale);
-- each signed contract adds its amount to its unit's cell. An update takes the old
-- row's contribution away and adds the new one's.
CREATE FUNCTION "analytics_unit_stats_add"(p TEXT, b TEXT, f INTEGER, l TEXT, n INTEGER, a DECIMAL, la DECIMAL,
    sn INTEGER, sa DECIMAL, sl DECIMAL, cn INTEGER, ca DECIMAL) RETURNS void AS $$
  INSERT INTO "analytics_unit_stats" AS s ("project_id", "building", "floor", "layout", "units", "area", "list_amount",
      "sold_units", "sold_area", "sold_list", "contracts", "contract_amount")
    VALUES (p, b, f, l, n, a, la, sn, sa, sl, cn, ca)
  ON CONFLICT ("project_id", "building", "floor", "layout") DO UPDATE SET
    "units" = s."units" + n, "area" = s."area" + a, "list_amount" = s."list_amount" + la,
    "sold_units" = s."sold_units" + sn, "sold_area" = s."sold_area" + sa, "sold_list" = s."sold_list" + sl,
    "contracts" = s."contracts" + cn, "contract_amount" = s."contract_amount" + ca;
$$ LANGUAGE sql;

CREATE FUNCTION "analytics_units_changed"() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM "analytics_unit_stats_add"(OLD."project_id", OLD."building", OLD."floor", OLD."layout", -1, -OLD."area", -OLD."list_price",
      CASE WHEN OLD."status" = 'sold' THEN -1 ELSE 0 END, CASE WHEN OLD."status" = 'sold' THEN -OLD."area" ELSE 0 END,
      CASE WHEN OLD."status" = 'sold' THEN -OLD."list_price" ELSE 0 END, 0, 0);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    PERFORM "analytics_unit_stats_add"(NEW."project_id", NEW."building", NEW."floor", NEW."layout", 1, NEW."area", NEW."list_price",
      CASE WHEN NEW."status" = 'sold' THEN 1 ELSE 0 END, CASE WHEN NEW."status" = 'sold' THEN NEW."area" ELSE 0 END,
      CASE WHEN NEW."status" = 'sold' THEN NEW."list_price" ELSE 0 END, 0, 0);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER "units_analytics"
  AFTER INSERT OR DELETE OR UPDATE OF "project_id", "building", "floor", "layout", "area", "list_price", "status" ON "units"
  FOR EACH ROW EXECUTE FUNCTION "analytics_units_changed"();

CREATE FUNCTION "analytics_orders_changed"() RETURNS trigger AS $$
DECLARE u RECORD;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD."kind" = 'contract' AND OLD."status" = 'signed' THEN
    SELECT * INTO u FROM "units" WHERE "id" = OLD."unit_id";
    IF FOUND THEN
      PERFORM "analytics_unit_stats_add"(u."project_id", u."building", u."floor", u."layout", 0, 0, 0, 0, 0, 0, -1, -OLD."price");
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW."kind" = 'contract' AND NEW."status" = 'signed' THEN
    SELECT * INTO u FROM "units" WHERE "id" = NEW."unit_id";
    IF FOUND THEN
      PERFORM "analytics_unit_stats_add"(u."project_id", u."building", u."floor", u."layout", 0, 0, 0, 0, 0, 0, 1, NEW."price");
    END IF;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER "orders_analytics"
  AFTER INSERT OR DELETE OR UPDATE OF "kind", "status", "price", "unit_id" ON "orders"
  FOR EACH ROW EXECUTE FUNCTION "analytics_orders_changed"();

-- The units already there (the daily rollup is filled by `npm run analytics:rebuild`,
-- which also recomputes this).
INSERT INTO "analytics_unit_stats"
SELECT u."project_id", u."building", u."floor", u."layout", count(*), sum(u."area"), sum(u."list_price"),
  count(*) FILTER (WHERE u."status" = 'sold'), coalesce(sum(u."area") FILTER (WHERE u."status" = 'sold'), 0),
  coalesce(sum(u."list_price") FILTER (WHERE u."status" = 'sold'), 0), coalesce(sum(o.n), 0), coalesce(sum(o.amount), 0)
FROM "units" u
LEFT JOIN LATERAL (SELECT count(*) AS n, sum(x."price") AS amount FROM "orders" x
                   WHERE x."unit_id" = u."id" AND x."kind" = 'contract' AND x."status" = 'signed') o ON true
GROUP BY 1, 2, 3, 4;
