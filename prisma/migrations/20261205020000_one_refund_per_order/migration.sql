-- An order is cancelled once, so it is refunded once: two cancellations approved at
-- the same moment cannot both record a refund (the activity's claim on the order row
-- refuses the second; this holds it in the database as well).
CREATE UNIQUE INDEX "refunds_order_id_key" ON "refunds"("order_id");
