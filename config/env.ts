import { z } from 'zod';

/**
 * The whole configuration, parsed once from the environment. Nothing else in the
 * code base reads `process.env`: everything receives a parsed {@link AppConfig}.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /**
   * Application database. Unset: `npm start` runs an embedded Postgres under
   * `DATA_DIR/postgres` and hands its URL to the API and the worker.
   */
  DATABASE_URL: z.string().url().optional(),
  /** Port of the embedded Postgres; unset (or 0) picks a free one at every start. */
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().nonnegative().default(0),
  /**
   * Folder holding `pg_dump`, `pg_restore` (backup and restore). Otherwise the
   * embedded-postgres package, PATH, then a project-local install from PyPI.
   */
  POSTGRES_BIN_DIR: z.string().min(1).optional(),
  /** The `sqlite3` CLI used for the online backup of the Temporal store; otherwise PATH. */
  SQLITE3_PATH: z.string().min(1).optional(),
  /** Where `npm run backup` writes its archives; default `DATA_DIR/backups`. */
  BACKUP_DIR: z.string().min(1).optional(),
  /** How long the API lets requests in flight finish on shutdown before it closes their connections. */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().nonnegative().default(3000),
  /** First administrator created by `npm run create-admin` (the compose file's setup job). */
  ADMIN_USERNAME: z.string().min(1).optional(),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  /** host:port of an existing Temporal frontend. When set, `npm start` starts no server. */
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('sales-process'),
  /**
   * TLS to Temporal. Unset: on when any `TEMPORAL_TLS_*` path, `TEMPORAL_TLS_SERVER_NAME`
   * or `TEMPORAL_API_KEY` is set, plain gRPC otherwise (the dev server, a cluster on a
   * private network). `true`: TLS with none of them (a server whose certificate the
   * system's roots trust). `false` with any of them is refused.
   */
  TEMPORAL_TLS: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /** Client certificate (PEM) for mutual TLS; needs `TEMPORAL_TLS_KEY_PATH`. */
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  /** The client certificate's private key (PEM); needs `TEMPORAL_TLS_CERT_PATH`. */
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  /** CA certificate (PEM) the server's certificate must chain to; unset: the system's trusted roots. */
  TEMPORAL_TLS_CA_PATH: z.string().min(1).optional(),
  /** Name the server's certificate must carry (and the SNI sent), when it is not the host of `TEMPORAL_ADDRESS`. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** API key (Temporal Cloud), sent as `Authorization: Bearer …` on every call; implies TLS. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /**
   * The workflow bundle the worker loads instead of bundling the workflow code at
   * start. Unset: `dist/workflow-bundle.js` when the worker runs compiled (`npm run
   * build` writes it), none under tsx.
   */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /**
   * Whether the worker's workflow sandbox records stack traces. The SDK captures one
   * at every promise a workflow creates, for the Temporal UI's "stack trace" view;
   * that costs about a fifth of the worker's CPU, so it is off unless asked for.
   */
  WORKFLOW_STACK_TRACES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * How many workflow runs a worker keeps in memory (about 150 KiB each while they
   * wait, `npm run bench`). Unset: the SDK sizes it from the heap limit (some 2,300
   * with Node's default heap on a large machine). A run evicted from the cache costs
   * the worker nothing while it waits; its next workflow task replays its history.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(1_000_000).optional(),
  /** Explicit path of the Temporal CLI; otherwise PATH, then the project-local install. */
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  /** Explicit path of the Java time-skipping test server (tests only); otherwise the project-local install. */
  TEMPORAL_TEST_SERVER_PATH: z.string().min(1).optional(),
  TEMPORAL_PORT: z.coerce.number().int().positive().default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().positive().default(8233),
  /**
   * How new instances write their bookkeeping: `local` activities (the default:
   * fewer history events and round trips) or `remote` ones (as before; kept to
   * measure the difference with `npm run bench:e2e`).
   */
  WORKFLOW_BOOKKEEPING: z.enum(['local', 'remote']).default('local'),
  /** How long `POST /api/processes?wait=true` waits for the first task before answering without it. */
  START_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().nonnegative().default(3000),
  /** Where local state lives: the Temporal SQLite file, generated demo credentials. */
  DATA_DIR: z.string().default('.data'),
  SESSION_TTL_MINUTES: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 60),
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().positive().default(30),
  /**
   * Failed sign-ins (and wrong current passwords) per typed user name before each
   * further attempt must wait: `LOGIN_DELAY_SECONDS`, doubling with every failure, at
   * most `LOGIN_MAX_DELAY_SECONDS`; 429 with `Retry-After` while the wait runs. One
   * failure is forgiven per `LOGIN_MAX_DELAY_SECONDS` without attempts; a sign-in
   * forgives them all. Unknown names are counted alike.
   */
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  /**
   * The same per client address (sign-ins, password changes, reset confirmations), per
   * minute: one failure is forgiven every `60 / LOGIN_MAX_FAILURES_PER_ADDRESS` s.
   */
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(30),
  /** The first wait after the free failures; it doubles with each further failure. */
  LOGIN_DELAY_SECONDS: z.coerce.number().int().positive().default(2),
  /** The longest wait, and how long it takes to forgive one failure of a user name. */
  LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().positive().default(900),
  /**
   * Password-reset requests per hour, per typed user name and per client address,
   * before each further one must wait (10 minutes, doubling, at most an hour).
   */
  PASSWORD_RESET_MAX_PER_USER: z.coerce.number().int().positive().default(3),
  PASSWORD_RESET_MAX_PER_ADDRESS: z.coerce.number().int().positive().default(10),
  /**
   * Key of the hashes that stand for typed user names in the limiter's counters
   * (`auth_throttles`). Unset: a key made once and kept in the database.
   */
  AUTH_HASH_KEY: z.string().min(32).optional(),
  /** Server-sent-event streams one session may have open at once (across API processes); the next gets 429. */
  STREAMS_PER_SESSION: z.coerce.number().int().positive().default(5),
  /**
   * How often an open stream re-reads its session (and renews its slot). A stream
   * ends at once when its session ends (a database notice); this catches an expiry
   * or a lost notice.
   */
  STREAM_SESSION_CHECK_SECONDS: z.coerce.number().int().positive().default(30),
  /** Comma-separated origins allowed by CORS; empty means same-origin only. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o.length > 0),
    ),
  BODY_LIMIT: z.string().default('100kb'),
  /** Password of the demo users that `npm run seed` creates. Generated when unset. */
  DEMO_USER_PASSWORD: z.string().min(8).optional(),
  /** Whether `npm run create-admin` also seeds the demo project and users (never by default in production). */
  DEMO_DATA: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Whether `npm start` starts the demo project's sales launch. */
  DEMO_LAUNCH: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** The web app's address, for the links in messages (`/tasks/<id>`, `/processes/<id>`). */
  PUBLIC_URL: z
    .string()
    .url()
    .default('http://127.0.0.1:3000')
    .transform((u) => u.replace(/\/+$/, '')),
  /** SMTP server for e-mail, e.g. smtp://user:pass@mail.example.com:587. Unset: no e-mail is sent. */
  SMTP_URL: z.string().url().optional(),
  /** The From of every e-mail. */
  SMTP_FROM: z.string().min(3).default('Sales process <noreply@localhost>'),
  /** Whether the worker process runs the notification dispatcher. */
  NOTIFY_DISPATCHER: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** How often the dispatcher looks for work when idle. */
  NOTIFY_POLL_MS: z.coerce.number().int().positive().default(1000),
  /**
   * The share of its time a busy dispatcher works: after a round that found work it
   * rests `round × (1 / duty − 1)` before the next. A burst (10,000 reminders due at
   * once) then goes out over a longer stretch instead of crowding out the people
   * completing tasks on the same cores and database (`npm run bench:notify`). 1: no rest.
   */
  NOTIFY_DUTY_CYCLE: z.coerce.number().gt(0).max(1).default(0.2),
  /** Deliveries claimed per round. */
  NOTIFY_BATCH_SIZE: z.coerce.number().int().positive().max(5000).default(200),
  /** Attempts per delivery before it is dead-lettered. */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().positive().default(8),
  /** First retry delay; each further retry doubles it (up to an hour). */
  NOTIFY_BACKOFF_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * The hosts each group-robot provider's URLs may point at, as `provider:host`
   * entries separated by commas; it replaces the default (the providers' public
   * robot hosts). A robot URL on any other host is refused when saved and when sent.
   */
  NOTIFY_WEBHOOK_HOSTS: z
    .string()
    .default('wecom:qyapi.weixin.qq.com,dingtalk:oapi.dingtalk.com')
    .transform((s, ctx) => {
      const hosts: Record<string, string[]> = {};
      for (const entry of s
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e.length > 0)) {
        const m = /^(wecom|dingtalk):([a-z0-9.-]+|\[[0-9a-f:.]+\])$/i.exec(entry);
        if (!m) {
          ctx.addIssue({ code: 'custom', message: `"${entry}" is not provider:host (provider wecom or dingtalk)` });
          return z.NEVER;
        }
        const [, provider, host] = m as unknown as [string, string, string];
        (hosts[provider.toLowerCase()] ??= []).push(host.replace(/^\[|\]$/g, '').toLowerCase());
      }
      return hosts;
    }),
  /**
   * Whether group robots may be on private, loopback or link-local addresses (and
   * plain http). Off: such an address is refused when a robot is saved and at every
   * connection. On only for tests and labs whose robot receiver runs locally.
   */
  NOTIFY_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Request timeout for SMTP and webhooks. */
  NOTIFY_SEND_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * The longest an HTTP request waits on Temporal (updates, queries, starts). Past it
   * the request answers 503 with Retry-After; repeating it with the same
   * Idempotency-Key is safe.
   */
  HTTP_WORKFLOW_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** pino's level for the API and the worker. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * How the API and the worker write their logs: `json` (one JSON line per entry),
   * `pretty` (one human line per entry; a request's own line at `debug`), or `auto`:
   * pretty when stdout is a terminal, JSON otherwise (a pipe, a file, a container).
   */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  /**
   * A font with Chinese glyphs for the reports' PDF export (TTF, OTF or TTC); unset:
   * the first of the usual system paths that exists (Debian's fonts-noto-cjk).
   */
  PDF_FONT_PATH: z.string().min(1).optional(),
  /** The font's PostScript name inside a collection (.ttc). */
  PDF_FONT_NAME: z.string().min(1).default('NotoSansCJKsc-Regular'),
  /** Bearer token that `/metrics` requires; unset: `/metrics` answers 404. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** host:port where the worker serves the Temporal SDK's Prometheus metrics; unset: not served. */
  TEMPORAL_METRICS_ADDRESS: z.string().min(3).optional(),
});

/**
 * With the combinations a single variable cannot express: a bad one stops every
 * entry point at start with the variable's name, not at the first call that needs it.
 */
const checkedEnvSchema = envSchema.superRefine((env, ctx) => {
  const pair = [
    ['TEMPORAL_TLS_CERT_PATH', 'TEMPORAL_TLS_KEY_PATH', 'the client certificate needs its private key'],
    ['TEMPORAL_TLS_KEY_PATH', 'TEMPORAL_TLS_CERT_PATH', 'the private key needs its client certificate'],
  ] as const;
  for (const [given, missing, why] of pair) {
    if (env[given] && !env[missing]) ctx.addIssue({ code: 'custom', path: [missing], message: `required when ${given} is set (${why})` });
  }
  const tlsSettings = (
    ['TEMPORAL_TLS_CERT_PATH', 'TEMPORAL_TLS_KEY_PATH', 'TEMPORAL_TLS_CA_PATH', 'TEMPORAL_TLS_SERVER_NAME', 'TEMPORAL_API_KEY'] as const
  ).filter((name) => env[name]);
  if (env.TEMPORAL_TLS === false && tlsSettings.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['TEMPORAL_TLS'],
      message: `is false, but ${tlsSettings.join(', ')} need TLS (an API key is never sent in the clear)`,
    });
  }
});

/** The parsed configuration. */
export type AppConfig = z.infer<typeof envSchema>;

/** Raised when the environment does not parse; lists every offending variable. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment (by default `process.env`) into an {@link AppConfig}.
 * Throws a {@link ConfigError} naming each bad variable and why.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  // `NAME=` in a .env file or a compose file means "not set", not "set to nothing".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = checkedEnvSchema.safeParse(present);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${issues.join('\n  ')}`, issues);
  }
  return result.data;
}

/**
 * The application database URL. Only `npm start` can do without one (it runs the
 * embedded server); every other entry point needs it set.
 */
export function requireDatabaseUrl(config: AppConfig): string {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  throw new ConfigError(
    'DATABASE_URL is not set. `npm start` runs an embedded database and passes its URL to the API and the worker; to run this on its own, set DATABASE_URL.',
    ['DATABASE_URL: required here'],
  );
}

/** The Temporal frontend to connect to: `TEMPORAL_ADDRESS`, or the embedded dev server's port on loopback. */
export function temporalAddress(config: Pick<AppConfig, 'TEMPORAL_ADDRESS' | 'TEMPORAL_PORT'>): string {
  return config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}`;
}

/** Loads `.env` from the working directory into `process.env` if the file exists. */
export function loadDotEnvFile(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
