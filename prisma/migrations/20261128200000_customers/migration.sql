-- Issue 10: customers with ownership and protection, their timeline, deals, orders
-- (subscription, contract), payments, refunds, after-sales cases and sales targets.

-- CreateTable
CREATE TABLE "customers" (
    "id" UUID NOT NULL,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "owner_id" UUID NOT NULL,
    "protected_from" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "classification" TEXT,
    "stage" TEXT NOT NULL DEFAULT 'visitor',
    "lost_reason" TEXT,
    "source" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "household" JSONB,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_events" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "channel" TEXT,
    "result" TEXT,
    "notes" TEXT,
    "next_contact_at" TIMESTAMPTZ(3),
    "by_id" UUID,
    "by_name" TEXT NOT NULL,
    "process_id" TEXT,
    "data" JSONB,
    "dedupe_key" TEXT,

    CONSTRAINT "customer_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deals" (
    "id" UUID NOT NULL,
    "project_id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "origin_process_id" TEXT NOT NULL,
    "unit_id" UUID,
    "stage" TEXT NOT NULL DEFAULT 'interest',
    "expected_amount" DECIMAL(14,2),
    "probability" DECIMAL(3,2) NOT NULL DEFAULT 0.2,
    "expected_close_date" DATE,
    "lost_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" UUID NOT NULL,
    "project_id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "unit_id" UUID NOT NULL,
    "agent_id" UUID,
    "kind" TEXT NOT NULL,
    "process_id" TEXT NOT NULL,
    "holder_process_id" TEXT NOT NULL,
    "number" TEXT,
    "list_price" DECIMAL(14,2) NOT NULL,
    "price" DECIMAL(14,2) NOT NULL,
    "discount" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "payment_method" TEXT,
    "deposit" DECIMAL(14,2),
    "signing_deadline" DATE,
    "buyers" JSONB,
    "approval_level" TEXT,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "signed_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "paid_amount" DECIMAL(14,2),
    "paid_at" TIMESTAMPTZ(3),
    "method" TEXT,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refunds" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "process_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'approved',
    "method" TEXT,
    "refunded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refunds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_cases" (
    "id" UUID NOT NULL,
    "project_id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "process_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "resolution" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_cases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sales_targets" (
    "id" UUID NOT NULL,
    "project_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL DEFAULT '',
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "period" TEXT NOT NULL,
    "units" INTEGER NOT NULL DEFAULT 0,
    "amount" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "visits" INTEGER NOT NULL DEFAULT 0,
    "follow_ups" INTEGER NOT NULL DEFAULT 0,
    "assigned_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sales_targets_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "customers_project_id_owner_id_idx" ON "customers"("project_id", "owner_id");

-- CreateIndex
CREATE INDEX "customers_project_id_stage_idx" ON "customers"("project_id", "stage");

-- CreateIndex
CREATE UNIQUE INDEX "customers_project_id_phone_key" ON "customers"("project_id", "phone");

-- CreateIndex
CREATE UNIQUE INDEX "customer_events_dedupe_key_key" ON "customer_events"("dedupe_key");

-- CreateIndex
CREATE INDEX "customer_events_customer_id_at_idx" ON "customer_events"("customer_id", "at");

-- CreateIndex
CREATE INDEX "customer_events_type_by_id_at_idx" ON "customer_events"("type", "by_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "deals_origin_process_id_key" ON "deals"("origin_process_id");

-- CreateIndex
CREATE INDEX "deals_project_id_stage_idx" ON "deals"("project_id", "stage");

-- CreateIndex
CREATE INDEX "deals_customer_id_idx" ON "deals"("customer_id");

-- CreateIndex
CREATE INDEX "orders_project_id_kind_status_idx" ON "orders"("project_id", "kind", "status");

-- CreateIndex
CREATE INDEX "orders_customer_id_idx" ON "orders"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "orders_process_id_kind_key" ON "orders"("process_id", "kind");

-- CreateIndex
CREATE INDEX "payments_due_at_idx" ON "payments"("due_at");

-- CreateIndex
CREATE UNIQUE INDEX "payments_order_id_seq_key" ON "payments"("order_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "refunds_process_id_key" ON "refunds"("process_id");

-- CreateIndex
CREATE UNIQUE INDEX "service_cases_process_id_key" ON "service_cases"("process_id");

-- CreateIndex
CREATE INDEX "service_cases_project_id_status_idx" ON "service_cases"("project_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "sales_targets_project_id_user_id_period_start_period_key" ON "sales_targets"("project_id", "user_id", "period_start", "period");

-- AddForeignKey
ALTER TABLE "customers" ADD CONSTRAINT "customers_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customers" ADD CONSTRAINT "customers_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_events" ADD CONSTRAINT "customer_events_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deals" ADD CONSTRAINT "deals_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_cases" ADD CONSTRAINT "service_cases_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Values the services and activities keep to; guarded here as well.
ALTER TABLE "customers" ADD CONSTRAINT "customers_stage_check" CHECK ("stage" IN ('visitor', 'intent', 'subscribed', 'signed', 'paid', 'handed_over', 'lost'));
ALTER TABLE "customers" ADD CONSTRAINT "customers_phone_check" CHECK ("phone" ~ '^1[3-9][0-9]{9}$');
ALTER TABLE "deals" ADD CONSTRAINT "deals_stage_check" CHECK ("stage" IN ('interest', 'subscribed', 'signed', 'paid', 'handed_over', 'lost'));
ALTER TABLE "orders" ADD CONSTRAINT "orders_kind_check" CHECK ("kind" IN ('subscription', 'contract'));
ALTER TABLE "orders" ADD CONSTRAINT "orders_status_check" CHECK ("status" IN ('draft', 'approved', 'signed', 'cancelled'));

-- Roles created before this migration gain the new default permissions once (a
-- fresh database has no roles yet: the seed creates them with these included).
UPDATE "roles" SET "permissions" = array(SELECT DISTINCT unnest("permissions" || ARRAY['targets.read'])) WHERE "name" IN ('sales_agent', 'sales_ae');
UPDATE "roles" SET "permissions" = array(SELECT DISTINCT unnest("permissions" || ARRAY['customers.read_all', 'customers.export', 'targets.read'])) WHERE "name" IN ('sales_supervisor', 'general_manager', 'management');
UPDATE "roles" SET "permissions" = array(SELECT DISTINCT unnest("permissions" || ARRAY['customers.transfer', 'targets.manage'])) WHERE "name" = 'sales_supervisor';
UPDATE "roles" SET "permissions" = array(SELECT DISTINCT unnest("permissions" || ARRAY['customers.read_all'])) WHERE "name" = 'sales_service';
UPDATE "roles" SET "permissions" = array(SELECT DISTINCT unnest("permissions" || ARRAY['customers.read_all', 'customers.transfer', 'customers.export', 'targets.read', 'targets.manage'])) WHERE "name" = 'admin';
