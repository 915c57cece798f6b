import { Client, Connection } from '@temporalio/client';
import type { Server } from 'node:http';
import type { DestinationStream, Logger } from 'pino';
import { ConfigError, loadConfig, loadDotEnvFile, requireDatabaseUrl, type AppConfig } from '../config/env';
import { describeTemporalConnection, temporalConnectionOptions } from '../config/temporal-connection';
import { createPrismaClient } from '../db/client';
import { buildApp } from './app';
import { createLogger } from './logger';
import { createServices } from './services';
import { ensureDefaultRoles } from './services/user-service';

/** A running API server and how to stop it. */
export interface RunningApi {
  logger: Logger;
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** What {@link startApi} may be given besides the configuration. */
export interface StartApiOptions {
  /** Where the JSON log lines go (stdout by default); tests read them from here. */
  logDestination?: DestinationStream;
}

/** Connects to the database and Temporal and listens on `config.PORT` (0 picks a free port). */
export async function startApi(config: AppConfig, options: StartApiOptions = {}): Promise<RunningApi> {
  const logger = createLogger(config, 'api', options.logDestination);
  // Reads the TLS files and may refuse them: before anything is opened.
  const connectionOptions = temporalConnectionOptions(config);
  const prisma = createPrismaClient(requireDatabaseUrl(config));
  await ensureDefaultRoles(prisma);
  const connection = await Connection.connect(connectionOptions);
  logger.info({ temporal: describeTemporalConnection(connectionOptions) }, `api: connected to Temporal at ${connectionOptions.address}`);
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const services = createServices({ config, prisma, temporal });
  // Built-ins are validated and stored before the first request: a built-in changed
  // without a new version stops the start here instead of confusing running instances.
  await services.definitions.syncBuiltIns();
  const app = buildApp(services, logger);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  return {
    logger,
    server,
    url: `http://${config.HOST}:${port}`,
    async close() {
      // Drain: no new connections, idle keep-alive ones closed now, requests in
      // flight get SHUTDOWN_DRAIN_MS to finish before their connections are cut,
      // so a supervisor's stop deadline is never what ends the process.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_DRAIN_MS);
      await closed;
      clearTimeout(timer);
      await connection.close();
      await services.pgNotifications.close();
      await prisma.$disconnect();
    },
  };
}

if (require.main === module) {
  loadDotEnvFile();
  const config = loadConfig();
  startApi(config)
    .then((api) => {
      api.logger.info({ url: api.url }, `api: listening on ${api.url}`);
      const stop = () => {
        api.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((err: unknown) => {
      // A configuration error names its variable: one line; anything else keeps its stack.
      if (err instanceof ConfigError) console.error(`api: ${err.message}`);
      else console.error('api failed to start', err);
      process.exit(1);
    });
}
