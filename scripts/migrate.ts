import { loadConfig, loadDotEnvFile, requireDatabaseUrl } from '../config/env';
import { ensureDatabase, migrate } from '../db/migrate';

/** `npm run db:migrate`: creates the database if needed and applies pending migrations. */
async function main(): Promise<void> {
  loadDotEnvFile();
  const databaseUrl = requireDatabaseUrl(loadConfig());
  if (await ensureDatabase(databaseUrl)) console.log('created database');
  const applied = await migrate(databaseUrl);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
