import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); `CHROMIUM_PATH` overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A real headless Chromium, with what would reach the internet turned off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Phone and desktop viewports the pages are checked at. */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/** Signs in through the sign-in page and waits for My tasks. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/#/login`);
  await page.locator('#login_username').fill(username);
  await page.locator('#login_password').fill(password);
  await page.locator('#login button[type=submit]').click();
  await waitForPath(page, /^\/tasks$/);
  await page.locator('h1').first().waitFor();
}

/** Whether the page scrolls sideways (what a phone page must never do). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');
}

/** Waits until no antd spinner or skeleton is showing. */
export async function settled(page: Page): Promise<void> {
  // The header keeps the notification stream open, so the network is never idle for long:
  // a short wait for idleness, then the spinners decide.
  await page.waitForLoadState('networkidle', { timeout: 2_000 }).catch(() => undefined);
  await page
    .waitForFunction("!document.querySelector('.ant-spin-spinning, .ant-skeleton-active, .ant-card-loading-content')", undefined, {
      timeout: 10_000,
    })
    .catch(() => undefined);
}

/**
 * Chooses `label` in the antd Select whose input has id `id`, and waits until the
 * option is marked chosen: on a loaded machine a click during the list's opening
 * animation can miss, so it is repeated (a few times) rather than trusted.
 */
export async function pick(page: Page, id: string, label: string | RegExp, search?: string): Promise<void> {
  const input = page.locator(`#${id}`);
  // This select's own list (rc-select names it `<id>_list`), not another one still open.
  const options = `.ant-select-dropdown:not(.ant-select-dropdown-hidden):has(#${id}_list) .ant-select-item-option`;
  for (let attempt = 1; ; attempt++) {
    if (attempt === 1 || (await page.locator(options).count()) === 0) {
      await input.click({ force: true });
      // Long lists are virtual (only the first options are in the DOM): a searchable select is typed into first.
      if (search) await page.keyboard.type(search);
    }
    // A list that did not open (the click met a dialog's opening animation) is opened again.
    const option = await page
      .locator(options, { hasText: label })
      .first()
      .elementHandle({ timeout: 5_000 })
      .catch(() => null);
    if (!option) {
      if (attempt >= 4) throw new Error(`pick: no option ${String(label)} in #${id} after ${attempt} tries`);
      continue;
    }
    await option.click();
    await page.waitForTimeout(50);
    // The node itself, even once a single select has hidden its list (or removed it: then it was chosen).
    const chosen = await option
      .evaluate((el) => !el.isConnected || el.classList.contains('ant-select-item-option-selected'))
      .catch(() => true);
    if (chosen) {
      // A single select's list closes on the choice; wait for it, so the next pick opens its own.
      const multiple = await input.evaluate((el) => !!el.closest('.ant-select-multiple')).catch(() => false);
      if (!multiple)
        await page
          .locator(options)
          .first()
          .waitFor({ state: 'detached', timeout: 2_000 })
          .catch(() => undefined);
      return;
    }
    if (attempt >= 4) throw new Error(`pick: ${String(label)} in #${id} was not chosen after ${attempt} clicks`);
    await page.waitForTimeout(200);
  }
}

/** axe-core's serious and critical violations on the page (WCAG 2 A and AA rules). */
export async function seriousViolations(page: Page): Promise<{ id: string; impact: string; help: string; targets: string[] }[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the app's CSP forbids inline scripts, rightly.
  await page.evaluate(`${source};0`);
  // A string, evaluated in the page: the tests are compiled without the DOM's types.
  return page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((results) =>
      results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })),
    )`);
}

/** Waits until the hash path (`/tasks`, `/processes/…`) matches: hash changes fire no load event. */
export async function waitForPath(page: Page, path: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = decodeURIComponent(new URL(page.url()).hash.replace(/^#/, ''));
    if (path.test(current)) return current;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path} (at ${current})`);
    await page.waitForTimeout(50);
  }
}
