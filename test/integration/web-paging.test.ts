import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { PHONE, scrollsSideways, settled, signIn } from '../support/browser';
import { startWebSystem, type WebSystem } from '../support/web-system';
import type { Session } from '../support/system';

// Issue 24 in a real Chromium: the customer list pages on the server (previous/next
// on a desktop, "load more" on a phone), its filters live in the address (a reload
// or a shared link shows the same list), and no page asks for more than the API's
// page size.

let web: WebSystem;
let agent: Session;
const tag = `w${randomUUID().slice(0, 6)}`;
const COUNT = 57; // more than one page of 50
let seq = 0;
const newPhone = () => `136${String(Date.now() % 1e4).padStart(4, '0')}${String(seq++).padStart(4, '0')}`;

beforeAll(async () => {
  web = await startWebSystem();
  agent = await web.sys.login('agent');
  for (let i = 0; i < COUNT; i++) {
    const res = await agent.post('/api/customers', {
      projectId: 'DEMO',
      name: `翻页客户${String(i).padStart(2, '0')}`,
      phone: newPhone(),
      tags: [tag],
    });
    expect(res.status).toBe(201);
  }
}, 180_000);

afterAll(() => web?.stop());

/** The names in the customer table or cards now showing, in order. */
const namesShown = (page: Page) =>
  page.evaluate<string[]>(
    `[...document.querySelectorAll('main')].flatMap((m) => [...m.innerText.matchAll(/翻页客户\\d\\d/g)].map((x) => x[0]))`,
  );

test('desktop: the filter is in the address, pages go forward and back, every customer once; a reload keeps it', async () => {
  const page = await web.newPage();
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/customers?')) asked.push(r.url());
  });
  await signIn(page, web.sys.url, 'agent', web.sys.env.password);
  await page.goto(`${web.sys.url}/#/customers?projectId=DEMO`);
  await settled(page);
  await page.locator('#customers-search').fill(`#${tag}`);
  await page.locator('#customers-search').press('Enter');
  await page.waitForFunction(`location.hash.includes(${JSON.stringify(encodeURIComponent(`#${tag}`))})`);
  await page.getByText(`共 ${COUNT} 条`).waitFor();
  await settled(page);
  const first = await namesShown(page);
  expect(first).toHaveLength(50);
  await page.getByRole('button', { name: '下一页' }).click();
  await page.getByText('第 2 页').waitFor();
  await settled(page);
  const second = await namesShown(page);
  expect(second).toHaveLength(COUNT - 50);
  expect(new Set([...first, ...second]).size).toBe(COUNT);
  await page.getByRole('button', { name: '上一页' }).click();
  await page.getByText('第 1 页').waitFor();
  expect(await namesShown(page)).toEqual(first);
  expect(asked.every((url) => Number(new URL(url).searchParams.get('limit')) <= 200)).toBe(true);
  expect(asked.some((url) => new URL(url).searchParams.has('cursor'))).toBe(true);

  // The address is the list: reloaded (or opened from a shared link) it shows the same customers.
  const address = page.url();
  const other = await web.newPage();
  await signIn(other, web.sys.url, 'agent', web.sys.env.password);
  await other.goto(address);
  await other.getByText(`共 ${COUNT} 条`).waitFor();
  await settled(other);
  expect(await namesShown(other)).toEqual(first);
  await expect(other.locator('#customers-search').inputValue()).resolves.toBe(`#${tag}`);
});

test('phone: the cards of the first page, then "load more" adds the rest; nothing scrolls sideways', async () => {
  const page = await web.newPage(PHONE);
  await signIn(page, web.sys.url, 'agent', web.sys.env.password);
  await page.goto(`${web.sys.url}/#/customers?projectId=DEMO&q=${encodeURIComponent(`#${tag}`)}`);
  await page.getByText(`已显示 50 条 · 共 ${COUNT} 条`).waitFor();
  expect(await namesShown(page)).toHaveLength(50);
  await page.getByRole('button', { name: '加载更多' }).click();
  await page.getByText(`已显示 ${COUNT} 条 · 共 ${COUNT} 条`).waitFor();
  expect(new Set(await namesShown(page)).size).toBe(COUNT);
  await expect(page.getByRole('button', { name: '加载更多' }).count()).resolves.toBe(0);
  expect(await scrollsSideways(page)).toBe(false);
});
