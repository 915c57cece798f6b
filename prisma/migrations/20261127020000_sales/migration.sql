-- The sales procedure: units for sale, submitted documents as records, tasks that keep a record.

-- AlterTable
ALTER TABLE "tasks" ADD COLUMN "record_kind" TEXT;

-- CreateTable
CREATE TABLE "units" (
    "id" UUID NOT NULL,
    "project_id" TEXT NOT NULL,
    "building" TEXT NOT NULL,
    "unit_no" TEXT NOT NULL,
    "floor" INTEGER NOT NULL,
    "area" DECIMAL(10,2) NOT NULL,
    "layout" TEXT NOT NULL,
    "list_price" DECIMAL(14,2) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'available',
    "holder_process_id" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "units_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "records" (
    "id" UUID NOT NULL,
    "project_id" TEXT NOT NULL,
    "process_id" TEXT NOT NULL,
    "task_id" UUID NOT NULL,
    "step_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "created_by_id" UUID,
    "created_by_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "records_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "units_project_id_status_idx" ON "units"("project_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "units_project_id_building_unit_no_key" ON "units"("project_id", "building", "unit_no");

-- CreateIndex
CREATE UNIQUE INDEX "records_task_id_key" ON "records"("task_id");

-- CreateIndex
CREATE INDEX "records_project_id_kind_created_at_idx" ON "records"("project_id", "kind", "created_at");

-- CreateIndex
CREATE INDEX "records_process_id_idx" ON "records"("process_id");

-- AddForeignKey
ALTER TABLE "units" ADD CONSTRAINT "units_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "records" ADD CONSTRAINT "records_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- A unit's status is one of four; the activities move it, this guards the rest.
ALTER TABLE "units" ADD CONSTRAINT "units_status_check" CHECK ("status" IN ('available', 'reserved', 'subscribed', 'sold'));
ALTER TABLE "units" ADD CONSTRAINT "units_holder_check" CHECK (("status" = 'available') = ("holder_process_id" IS NULL));
