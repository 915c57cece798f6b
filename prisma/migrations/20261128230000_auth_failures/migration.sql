-- Failed sign-ins by client address, shared by every API process (the limiter was per-process memory).
-- CreateTable
CREATE TABLE "auth_failures" (
    "id" BIGSERIAL NOT NULL,
    "address" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "auth_failures_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "auth_failures_address_at_idx" ON "auth_failures"("address", "at");

-- CreateIndex
CREATE INDEX "auth_failures_at_idx" ON "auth_failures"("at");
