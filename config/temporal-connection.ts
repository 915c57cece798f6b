import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError, temporalAddress, type AppConfig } from './env';

/** The settings {@link temporalConnectionOptions} reads. */
export type TemporalConnectionConfig = Pick<
  AppConfig,
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_PORT'
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_TLS_CERT_PATH'
  | 'TEMPORAL_TLS_KEY_PATH'
  | 'TEMPORAL_TLS_CA_PATH'
  | 'TEMPORAL_TLS_SERVER_NAME'
  | 'TEMPORAL_API_KEY'
>;

/**
 * How to reach Temporal: what the API's `Connection.connect` (`@temporalio/client`),
 * the worker's `NativeConnection.connect` (`@temporalio/worker`) and the worker's
 * health check all accept, so the three cannot disagree.
 */
export interface TemporalConnectionOptions {
  address: string;
  /** Absent: plain gRPC. */
  tls?: TLSConfig;
  /** Sent by the SDK as `Authorization: Bearer <key>`. */
  apiKey?: string;
}

/** Reads a file's bytes (tests pass their own). */
export type ReadFile = (path: string) => Buffer;

/**
 * A PEM file named by a variable, read now: an unreadable file, or one that holds
 * something else (a key where the certificate belongs), stops the start with the
 * variable's name instead of a TLS handshake error from deep inside the SDK.
 */
function pemFile(variable: string, path: string, expected: 'CERTIFICATE' | 'PRIVATE KEY', read: ReadFile): Buffer {
  let bytes: Buffer;
  try {
    bytes = read(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError(`${variable}: cannot read ${path} (${reason})`, [`${variable}: cannot read ${path} (${reason})`]);
  }
  // "-----BEGIN CERTIFICATE-----"; keys come as PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY.
  if (!new RegExp(`-----BEGIN [A-Z ]*${expected}-----`).test(bytes.toString('latin1'))) {
    const problem = `${path} is not a PEM ${expected.toLowerCase()} (no "-----BEGIN …${expected}-----" line)`;
    throw new ConfigError(`${variable}: ${problem}`, [`${variable}: ${problem}`]);
  }
  return bytes;
}

/**
 * Whether the connection to Temporal uses TLS: `TEMPORAL_TLS` when given, else
 * whenever a TLS setting or an API key is (a key is never sent in the clear).
 */
export function usesTls(config: TemporalConnectionConfig): boolean {
  return (
    config.TEMPORAL_TLS ??
    Boolean(
      config.TEMPORAL_TLS_CERT_PATH ||
      config.TEMPORAL_TLS_KEY_PATH ||
      config.TEMPORAL_TLS_CA_PATH ||
      config.TEMPORAL_TLS_SERVER_NAME ||
      config.TEMPORAL_API_KEY,
    )
  );
}

/**
 * The one place that turns the `TEMPORAL_*` settings into connection options: TLS
 * (a client certificate for mutual TLS, a private CA, a server name override) and
 * an API key, which implies TLS as Temporal Cloud requires. The combinations were
 * checked by {@link loadConfig}; the files are read and checked here, at start.
 */
export function temporalConnectionOptions(config: TemporalConnectionConfig, read: ReadFile = readFileSync): TemporalConnectionOptions {
  const address = temporalAddress(config);
  if (!usesTls(config)) return { address };
  const tls: TLSConfig = {};
  if (config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH) {
    tls.clientCertPair = {
      crt: pemFile('TEMPORAL_TLS_CERT_PATH', config.TEMPORAL_TLS_CERT_PATH, 'CERTIFICATE', read),
      key: pemFile('TEMPORAL_TLS_KEY_PATH', config.TEMPORAL_TLS_KEY_PATH, 'PRIVATE KEY', read),
    };
  }
  if (config.TEMPORAL_TLS_CA_PATH)
    tls.serverRootCACertificate = pemFile('TEMPORAL_TLS_CA_PATH', config.TEMPORAL_TLS_CA_PATH, 'CERTIFICATE', read);
  if (config.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = config.TEMPORAL_TLS_SERVER_NAME;
  return { address, tls, ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}) };
}

/** What a start-up log line says about the connection: never the key or the files' contents. */
export function describeTemporalConnection(options: TemporalConnectionOptions): Record<string, unknown> {
  const { tls } = options;
  return {
    address: options.address,
    tls: Boolean(tls),
    ...(tls
      ? {
          clientCertificate: Boolean(tls.clientCertPair),
          ca: tls.serverRootCACertificate ? 'TEMPORAL_TLS_CA_PATH' : 'system roots',
          ...(tls.serverNameOverride ? { serverName: tls.serverNameOverride } : {}),
        }
      : {}),
    apiKey: Boolean(options.apiKey),
  };
}
