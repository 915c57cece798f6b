import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogLevel as TemporalLogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { AppConfig } from '../config/env';
import type { RouteLocals } from './http';
import { prettyDestination } from './pretty-log';

export type LogFormat = 'json' | 'pretty';

/**
 * Which form a process's log takes: `LOG_FORMAT` when it says `json` or `pretty`;
 * with `auto`, human lines when the log goes to stdout and stdout is a terminal
 * (`npm start` in a shell), JSON lines otherwise (a pipe, a file, a container, a
 * test reading the lines from its own destination).
 */
export function chooseLogFormat(setting: AppConfig['LOG_FORMAT'], stdoutIsTTY: boolean, ownDestination: boolean): LogFormat {
  if (setting !== 'auto') return setting;
  return stdoutIsTTY && !ownDestination ? 'pretty' : 'json';
}

/** The format each logger made by {@link createLogger} writes, for {@link requestLogger}. */
const FORMATS = new WeakMap<Logger, LogFormat>();

/**
 * The one logger of a process (API or worker), at `LOG_LEVEL`: JSON lines on stdout
 * (or `destination`, which the tests use to read them), or human lines (see
 * {@link chooseLogFormat}, `api/pretty-log.ts`). Credentials are redacted wherever a
 * request's headers end up in a line, before either form is written.
 */
export function createLogger(
  config: Pick<AppConfig, 'LOG_LEVEL'> & Partial<Pick<AppConfig, 'LOG_FORMAT'>>,
  name: string,
  destination?: DestinationStream,
): Logger {
  const format = chooseLogFormat(config.LOG_FORMAT ?? 'auto', process.stdout.isTTY === true, destination !== undefined);
  const colours = format === 'pretty' && destination === undefined && process.stdout.isTTY === true;
  const logger = pino(
    {
      name,
      level: config.LOG_LEVEL,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'], censor: '[redacted]' },
    },
    format === 'pretty' ? prettyDestination(destination ?? process.stdout, colours) : destination,
  );
  FORMATS.set(logger, format);
  return logger;
}

/**
 * The level of a request's own line: a fault is an error and a refusal (4xx) a
 * warning in either form; a success is `info` in the JSON log (an operator's record
 * of every request) and `debug` in the human one, so that a terminal running
 * `npm start` is not filled with a line per request (`LOG_LEVEL=debug` shows them).
 */
export function requestLogLevel(format: LogFormat, statusCode: number, failed: boolean): 'error' | 'warn' | 'info' | 'debug' {
  if (failed || statusCode >= 500) return 'error';
  if (statusCode >= 400) return 'warn';
  return format === 'pretty' ? 'debug' : 'info';
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
 * ({@link redactQuery}). Its level: {@link requestLogLevel}.
 */
export function requestLogger(logger: Logger): HttpLogger {
  const format = FORMATS.get(logger) ?? 'json';
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
    customLogLevel: (_req, res, err) => requestLogLevel(format, res.statusCode, Boolean(err)),
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
