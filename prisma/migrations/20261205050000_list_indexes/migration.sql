-- Indexes for the lists a large office pages through (issue 24; figures in
-- docs/performance.md, plans printed by `npm run bench:office`).
--
-- Masking a page of tasks or processes looks up the customers each process tree
-- concerns (api/services/privacy.ts): by the root of the process id, the part before
-- the first '/'. `process_id = root OR starts_with(process_id, root || '/')` can use no
-- index and read the whole table for every row of the page (0.6 s a page at 30,000
-- customers); the root as an expression index answers it directly. Prisma's schema
-- cannot state expression or trigram indexes: they are kept here, by hand, and the
-- schema-drift test leaves out the names ending in _by_root and _trgm.
CREATE INDEX "customer_events_process_by_root" ON "customer_events" (split_part("process_id", '/', 1));
CREATE INDEX "orders_process_by_root" ON "orders" (split_part("process_id", '/', 1));
CREATE INDEX "orders_holder_process_by_root" ON "orders" (split_part("holder_process_id", '/', 1));
CREATE INDEX "service_cases_process_by_root" ON "service_cases" (split_part("process_id", '/', 1));

-- Task search by words of the title (contains, any case): a trigram index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "tasks_title_trgm" ON "tasks" USING gin ("title" gin_trgm_ops);
