import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { version as API_VERSION } from '../package.json';
import { docsRouter } from './docs';
import { errorHandler, mountRoutes } from './http';
import { createLogger, requestLogger } from './logger';
import { ApiMetrics } from './metrics';
import { buildOpenApi } from './openapi';
import { checkHealth } from './health';
import { buildRoutes } from './routes';
import type { Services } from './services';
import { webRouter } from './web';

/**
 * Builds the Express app from its services. Nothing here listens or connects:
 * `server.ts` starts it, and tests build it over their own services.
 */
export function buildApp(services: Services, logger: Logger = createLogger(services.config, 'api')): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // First, so that every answer, even a refusal by a later middleware, is logged and timed.
  const metrics = new ApiMetrics(services.prisma);
  app.use(requestLogger(logger));
  app.use(metrics.middleware());
  app.use(helmet());
  // Same-origin by default; CORS_ORIGINS lists the front ends allowed from elsewhere.
  app.use(
    cors({
      origin: services.config.CORS_ORIGINS,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id', 'Retry-After'],
    }),
  );
  app.use(express.json({ limit: services.config.BODY_LIMIT, strict: true }));

  app.get('/metrics', metrics.handler(services.config.METRICS_TOKEN));
  app.get('/health', async (_req, res) => {
    const health = await checkHealth(services);
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });

  app.use(webRouter());

  const routes = buildRoutes(services);
  app.use(docsRouter(buildOpenApi(routes, API_VERSION)));

  const api = express.Router();
  mountRoutes(api, routes, (token) => services.auth.authenticate(token), {
    // A gRPC deadline on every Temporal call the handler makes (updates, queries,
    // starts): one bound for the whole request, whichever service makes the call.
    bounded: (fn) => services.temporal.withDeadline(Date.now() + services.config.HTTP_WORKFLOW_TIMEOUT_MS, fn),
    checkResponses: services.config.NODE_ENV === 'test',
  });
  app.use(api);
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such route', details: [] } });
  });
  // The request's own log line carries a fault (errorHandler sets `res.err`), with its
  // request id; a second line here would only repeat it.
  app.use(errorHandler((msg, err) => logger.debug({ err }, msg)));
  return app;
}
