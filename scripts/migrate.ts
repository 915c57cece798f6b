import { loadConfig, loadDotEnvFile } from '../config/env';
import { ensureDatabase, migrate } from '../db/migrate';

/** `npm run db:migrate`: creates the database if needed and applies pending migrations. */
async function main(): Promise<void> {
  loadDotEnvFile();
  const config = loadConfig();
  if (await ensureDatabase(config.DATABASE_URL)) console.log('created database');
  const applied = await migrate(config.DATABASE_URL);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
