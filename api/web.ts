import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Router } from 'express';
import express from 'express';

/** The front end's folder: `../web` from the sources, `../../web` from a build in `dist/`. */
const WEB_DIR = [join(__dirname, '..', 'web'), join(__dirname, '..', '..', 'web')].find((dir) => existsSync(join(dir, 'index.html')));

/**
 * Serves the browser front end: the page, its stylesheet, and its script, bundled
 * from `web/app.ts` by esbuild once, on first request (a few milliseconds), so the
 * front end needs no build step of its own.
 */
export function webRouter(): Router {
  const router = express.Router();
  if (!WEB_DIR) return router;
  const dir = WEB_DIR;
  let script: string | undefined;
  router.get('/', (_req, res) => {
    res.type('html').send(readFileSync(join(dir, 'index.html'), 'utf8'));
  });
  router.get('/app.css', (_req, res) => {
    res.type('css').send(readFileSync(join(dir, 'app.css'), 'utf8'));
  });
  router.get('/app.js', (_req, res) => {
    script ??= buildSync({ entryPoints: [join(dir, 'app.ts')], bundle: true, format: 'esm', target: 'es2022', write: false, minify: true })
      .outputFiles[0]!.text;
    res.type('js').send(script);
  });
  return router;
}
