import { loadConfig, loadDotEnvFile, requireDatabaseUrl } from '../config/env';
import { analyticsDrift, rebuildAnalytics } from '../db/analytics';
import { createPrismaClient } from '../db/client';

/**
 * `npm run analytics:rebuild`: recomputes the analytics rollups from the facts
 * (after an upgrade, a restore, or a repair by hand). `--check <project>` instead
 * prints how a project's rollups differ from the facts and exits 1 if they do.
 */
async function main(): Promise<void> {
  loadDotEnvFile();
  const prisma = createPrismaClient(requireDatabaseUrl(loadConfig()));
  try {
    const check = process.argv.indexOf('--check');
    if (check >= 0) {
      const projectId = process.argv[check + 1];
      if (!projectId) throw new Error('usage: npm run analytics:rebuild -- --check <projectId>');
      const drift = await analyticsDrift(prisma, projectId);
      drift.forEach((line) => console.log(line));
      console.log(drift.length ? `${drift.length} differences` : 'the rollups agree with the facts');
      process.exitCode = drift.length ? 1 : 0;
      return;
    }
    const started = Date.now();
    const result = await rebuildAnalytics(prisma);
    console.log(`rebuilt: ${result.dailyRows} daily rows, ${result.unitCells} unit cells in ${Date.now() - started} ms`);
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
