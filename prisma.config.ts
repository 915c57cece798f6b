import { defineConfig } from 'prisma/config';

// The CLI only needs the schema path to generate the client; migrations are applied
// by `db/migrate.ts` (see docs/architecture.md, "Database migrations").
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/salesproc' },
});
