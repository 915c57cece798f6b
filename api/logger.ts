import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogLevel as TemporalLogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { AppConfig } from '../config/env';
import type { RouteLocals } from './http';

/**
 * The one logger of a process (API or worker): JSON lines on stdout (or `destination`,
 * which the tests use to read them), at `LOG_LEVEL`. Credentials are redacted
 * wherever a request's headers end up in a line.
 */
export function createLogger(config: Pick<AppConfig, 'LOG_LEVEL'>, name: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name,
      level: config.LOG_LEVEL,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}

/** What a client may send as `X-Request-Id` and see used: short, printable, no separators a log parser would trip on. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A request URL as it is logged: the path and the query's keys, every value
 * replaced. Searches carry phone numbers and names (`/api/customers?q=138…`), and
 * a log is kept longer and read by more people than the database.
 */
export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => (p.includes('=') ? `${p.slice(0, p.indexOf('='))}=[redacted]` : p));
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

/**
 * One log line per request, when it ends: its request id (the client's `X-Request-Id`
 * when usable, a new one otherwise, echoed in the response either way), method, path,
 * status, time, and from the route table the route id, the user and — on process and
 * task routes — the process or task id. The URL's query values are redacted
 * ({@link redactQuery}).
 */
export function requestLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customProps: (_req: IncomingMessage, res: ServerResponse) => {
      const locals = (res as ServerResponse & { locals?: RouteLocals }).locals ?? {};
      return {
        route: locals.routeId,
        userId: locals.userId,
        user: locals.username,
        processId: locals.processId,
        taskId: locals.taskId,
      };
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // The whole request would repeat headers on every line; these are what an operator looks for.
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactQuery(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customSuccessMessage: (req, res) => `${req.method} ${redactQuery(req.url ?? '')} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${redactQuery(req.url ?? '')} ${res.statusCode}`,
  });
}

const PINO_LEVEL: Record<TemporalLogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's `Logger` on top of pino, for `Runtime.install({ logger })`: the
 * worker's, workflows' and activities' messages become lines of the same JSON log,
 * with their metadata (workflow id, activity type, …) as fields.
 */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}

  log(level: TemporalLogLevel, message: string, meta?: LogMetadata): void {
    this.logger[PINO_LEVEL[level]](meta ?? {}, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
