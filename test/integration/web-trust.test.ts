import { readFileSync } from 'node:fs';
import { pick, signIn, waitForPath } from '../support/browser';
import type { TestSystem } from '../support/system';
import { startWebSystem, type WebSystem } from '../support/web-system';

// Issue 22 ("Trust") in a real headless Chromium against the built web app: the
// customer CSV the browser writes defuses formulas and names the owner; help
// markdown is sanitised before it becomes HTML.

let sys: TestSystem;
let web: WebSystem;

beforeAll(async () => {
  web = await startWebSystem();
  sys = web.sys;
}, 180_000);
afterAll(async () => {
  await web?.stop();
});

test('supervisor: the customer CSV keeps a formula-like name as text and fills the owner column', async () => {
  const phone = `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const name = '=HYPERLINK("http://evil.test","点我")';
  const agent = await sys.login('agent');
  expect((await agent.post('/api/customers', { projectId: 'DEMO', name, phone })).status).toBe(201);

  const page = await web.newPage();
  await signIn(page, sys.url, 'supervisor', sys.env.password);
  await page.goto(`${sys.url}/#/customers`);
  await page.locator('h1', { hasText: '客户' }).waitFor();
  await pick(page, 'customers-project', /演示项目/);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出客户' }).click();
  const bytes = readFileSync(await (await download).path());
  // A UTF-8 byte-order mark for Excel.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = bytes.toString('utf8');
  const header = csv.slice(1).split('\r\n')[0]!.split(',');
  const row = csv.split('\r\n').find((l) => l.includes(phone))!;
  // Quoted (it holds commas and quotes) and led by an apostrophe: text, not a live formula.
  expect(row.startsWith(`"'=HYPERLINK(""http://evil.test"",""点我"")",${phone},`)).toBe(true);
  expect(header[4]).toBe('归属顾问');
  expect(row).toContain(',张伟,');
}, 120_000);

test('help markdown with a script, an onerror image and a javascript: link is rendered without them', async () => {
  const page = await web.newPage();
  await signIn(page, sys.url, 'agent', sys.env.password);
  // The help files are ours; a changed or compromised one is stood in for by the API's answer.
  const markdown = [
    '# 被篡改的帮助',
    '',
    'Text **kept**.',
    '',
    '<img src="x" onerror="window.__pwned = 1">',
    '',
    '<script>window.__pwned = 2</script>',
    '',
    '[click](javascript:window.__pwned=3)',
  ].join('\n');
  await page.route('**/api/help?**', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ pages: [{ slug: 'evil', title: 'Evil', markdown }] }),
    }),
  );
  await page.goto(`${sys.url}/#/help`);
  await waitForPath(page, /^\/help/);
  const article = page.locator('[data-testid=help-article]');
  await article.locator('h1', { hasText: '被篡改的帮助' }).waitFor();
  expect(await article.locator('strong').textContent()).toBe('kept');
  const html = await article.innerHTML();
  expect(html).not.toMatch(/onerror|<script|javascript:/i);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
}, 120_000);
