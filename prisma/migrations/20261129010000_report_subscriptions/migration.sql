-- Subscriptions to a project's daily, weekly and monthly sales reports (issue 11),
-- delivered as notifications (issue 12) once each period has ended.
CREATE TABLE "report_subscriptions" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "project_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "last_sent_from" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_subscriptions_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "report_subscriptions_kind_last_sent_from_idx" ON "report_subscriptions"("kind", "last_sent_from");

CREATE UNIQUE INDEX "report_subscriptions_user_id_project_id_kind_key" ON "report_subscriptions"("user_id", "project_id", "kind");

ALTER TABLE "report_subscriptions" ADD CONSTRAINT "report_subscriptions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "report_subscriptions" ADD CONSTRAINT "report_subscriptions_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "report_subscriptions" ADD CONSTRAINT "report_subscriptions_kind_check" CHECK (kind IN ('daily', 'weekly', 'monthly'));
