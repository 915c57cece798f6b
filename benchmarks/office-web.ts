import { performance } from 'node:perf_hooks';
import { startApi } from '../api/server';
import { loadConfig } from '../config/env';
import { ensureWebBuilt, stopWebBuilds } from '../scripts/build-web';
import { generateOffice, officeOptions } from '../scripts/generate-office';
import { resolveTemporalCli, startDevServer } from '../scripts/temporal-server';
import { DESKTOP, launchChromium, PHONE } from '../test/support/browser';
import { freePort } from '../test/support/global-setup';

/**
 * `npm run bench:office-web`: how long the pages a large office opens most take to be
 * usable in a real Chromium, on the data set of `npm run demo:large` (generated first
 * unless BENCH_REUSE=1): from navigation to the table (or the phone's cards) showing
 * its rows, BENCH_LOADS times each (default 20) in a fresh page of a signed-in
 * browser, p50/p95/max side by side. The web app is served by the API as in
 * production (dist/web, built if stale). Figures only. Goal: p95 ≤ 1.5 s.
 */
const LOADS = Number(process.env.BENCH_LOADS ?? 20);

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

async function main(): Promise<void> {
  const options = officeOptions();
  if (process.env.BENCH_REUSE !== '1') await generateOffice(options, (line) => console.log(line));
  await ensureWebBuilt();
  const cli = resolveTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!cli) throw new Error('no Temporal CLI: npm run temporal:install');
  const temporal = await startDevServer({ cli, port: await freePort() });
  const api = await startApi(
    loadConfig({ DATABASE_URL: options.databaseUrl, TEMPORAL_ADDRESS: temporal.address, PORT: '0', LOG_LEVEL: 'warn' }),
  );
  const browser = await launchChromium();
  try {
    const token = async (username: string) => {
      const res = await fetch(`${api.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: options.password }),
      });
      return ((await res.json()) as { token: string }).token;
    };
    const sessions = { office_agent: await token('office_agent'), office_supervisor: await token('office_supervisor') };
    // Rows of a table, or the cards a phone shows instead.
    const rows = '.ant-table-tbody tr.ant-table-row, .ant-list-item, [data-testid=phone-card]';
    const pages: [string, keyof typeof sessions, string, { width: number; height: number }][] = [
      ['My tasks · desktop', 'office_agent', '/#/tasks', DESKTOP],
      ['My tasks · phone', 'office_agent', '/#/tasks', PHONE],
      ['customers · desktop', 'office_supervisor', '/#/customers', DESKTOP],
      ['customers · phone', 'office_supervisor', '/#/customers', PHONE],
      ['processes · desktop', 'office_supervisor', '/#/processes?status=running', DESKTOP],
    ];
    console.log(`\n${'page (navigation → rows shown)'.padEnd(34)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
    for (const [name, who, path, viewport] of pages) {
      const times: number[] = [];
      for (let i = 0; i < LOADS + 2; i++) {
        const context = await browser.newContext({ viewport, locale: 'zh-CN' });
        // Signed in as the app keeps a session (its token in localStorage), before the page's first script runs.
        await context.addInitScript(`localStorage.setItem('salesproc.token', ${JSON.stringify(sessions[who])})`);
        const page = await context.newPage();
        const t = performance.now();
        await page.goto(`${api.url}${path}`);
        await page.locator(rows).first().waitFor({ timeout: 30_000 });
        const elapsed = performance.now() - t;
        if (i >= 2) times.push(elapsed); // the first two warm the server's and the browser's caches
        await context.close();
      }
      const f = (n: number) => n.toFixed(0).padStart(8);
      console.log(`${name.padEnd(34)} ${f(pct(times, 50))} ${f(pct(times, 95))} ${f(Math.max(...times))}`);
    }
  } finally {
    await browser.close();
    await api.close();
    await temporal.stop();
    await stopWebBuilds();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
