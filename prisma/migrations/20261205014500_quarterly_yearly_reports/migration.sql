-- 季报 and 年报 beside 日报, 周报 and 月报 (REPORT_KINDS in domain/analytics.ts).
ALTER TABLE "report_subscriptions" DROP CONSTRAINT "report_subscriptions_kind_check";
ALTER TABLE "report_subscriptions" ADD CONSTRAINT "report_subscriptions_kind_check"
  CHECK (kind IN ('daily', 'weekly', 'monthly', 'quarterly', 'yearly'));
