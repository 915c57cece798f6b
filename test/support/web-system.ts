import type { BrowserContextOptions, Page } from 'playwright-core';
import { ensureWebBuilt, stopWebBuilds } from '../../scripts/build-web';
import { DESKTOP, launchChromium } from './browser';
import { startSystem, type TestSystem } from './system';

/** The whole system serving the built web app, and a real headless Chromium to use it with. */
export interface WebSystem {
  sys: TestSystem;
  /**
   * A page in a fresh browser profile — its own localStorage, so its own session —
   * in Chinese (zh-CN, the product's first language), at `viewport`.
   */
  newPage(viewport?: { width: number; height: number }, options?: BrowserContextOptions): Promise<Page>;
  /** Closes the browser (and every page), stops the system and esbuild's service. */
  stop(): Promise<void>;
}

/**
 * What every browser test file starts with. The app is built ahead of time, as
 * `npm run build` does, unless dist/web is newer than every source (an earlier test
 * file, or production-build's `npm run build`, built it); the API serves dist/web.
 */
export async function startWebSystem(): Promise<WebSystem> {
  await ensureWebBuilt();
  const sys = await startSystem();
  const browser = await launchChromium().catch(async (err: unknown) => {
    await sys.stop();
    throw err;
  });
  return {
    sys,
    async newPage(viewport = DESKTOP, options = {}) {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true, ...options });
      return context.newPage();
    },
    async stop() {
      await browser.close();
      await stopWebBuilds();
      await sys.stop();
    },
  };
}
