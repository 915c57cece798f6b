import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Router } from 'express';
import express from 'express';

/**
 * The built front end (`npm run build:web` → `dist/web/`): `<root>/dist/web` from the
 * sources, `dist/web` beside `dist/api` from a build. A build writes `build.json` last,
 * so a folder without it is no front end.
 */
const candidates = [join(__dirname, '..', 'dist', 'web'), join(__dirname, '..', 'web')];

/**
 * Serves the browser front end as static files built ahead of time. Hashed assets
 * are cached for good; `index.html` is revalidated so a new build is picked up.
 * Without a build the page says how to make one (`npm start` builds by itself).
 */
export function webRouter(): Router {
  const router = express.Router();
  const find = () => candidates.find((dir) => existsSync(join(dir, 'build.json')));
  router.use('/assets', (req, res, next) => {
    const dir = find();
    if (!dir) return next();
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false })(req, res, next);
  });
  router.get('/', (_req, res) => {
    const dir = find();
    if (!dir) {
      res.status(503).type('text').send('The front end is not built: run `npm run build:web` (npm start builds it by itself).');
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
  return router;
}
