import type { Router } from 'express';
import express from 'express';
import { absolutePath } from 'swagger-ui-dist';
import type { OpenApiDocument } from './openapi';

/** The page: Swagger UI's own stylesheet and bundle, served from this server (no CDN). */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sales-process engine API</title>
<link rel="icon" href="/api/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;

// A file of its own rather than an inline script, so helmet's default
// Content-Security-Policy (script-src 'self') needs no exception.
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

/**
 * Serves the OpenAPI document at `/api/openapi.json` and a page rendering it at
 * `/api/docs` (Swagger UI from the `swagger-ui-dist` package: no build step, no
 * dependencies, and "Try it out" takes the bearer token).
 */
export function docsRouter(document: OpenApiDocument): Router {
  const router = express.Router();
  const json = JSON.stringify(document);
  router.get('/api/openapi.json', (_req, res) => {
    res.type('json').send(json);
  });
  router.get('/api/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/api/docs/init.js', (_req, res) => {
    res.type('js').send(INIT);
  });
  router.use('/api/docs/assets', express.static(absolutePath(), { index: false, maxAge: '1d' }));
  return router;
}
