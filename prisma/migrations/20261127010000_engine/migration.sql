-- The definition engine: published definitions, sub-processes, task delegation and
-- paused deadlines, idempotent outbox writes.

-- AlterTable
ALTER TABLE "tasks" ADD COLUMN "delegate_user_id" UUID,
ADD COLUMN "paused_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "process_instances" ADD COLUMN "parent_id" TEXT;

-- AlterTable
ALTER TABLE "outbox_messages" ADD COLUMN "dedupe_key" TEXT;

-- CreateTable
CREATE TABLE "process_definitions" (
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "checksum" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "published_by_id" UUID,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "process_definitions_pkey" PRIMARY KEY ("key","version")
);

-- CreateIndex
CREATE INDEX "process_instances_parent_id_idx" ON "process_instances"("parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_messages_dedupe_key_key" ON "outbox_messages"("dedupe_key");

-- A published version is immutable: refuse UPDATE at the database.
CREATE FUNCTION "process_definitions_immutable"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'process_definitions rows are immutable; publish a new version';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "process_definitions_no_update"
  BEFORE UPDATE ON "process_definitions"
  FOR EACH ROW EXECUTE FUNCTION "process_definitions_immutable"();
