import { ConfigError, loadConfig } from '../../config/env';
import { describeTemporalConnection, temporalConnectionOptions, type ReadFile } from '../../config/temporal-connection';

// The one function that turns TEMPORAL_* settings into the options the API's
// Connection and the worker's NativeConnection take. Files come from a fake here;
// test/integration/production-build.test.ts connects through a real TLS front.

const PEM = {
  '/pki/client.crt': '-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n',
  '/pki/client.key': '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n',
  '/pki/ec.key': '-----BEGIN EC PRIVATE KEY-----\nkey\n-----END EC PRIVATE KEY-----\n',
  '/pki/ca.crt': '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n',
  '/pki/notes.txt': 'not a certificate',
} as Record<string, string>;

const read: ReadFile = (path) => {
  const text = PEM[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return Buffer.from(text);
};

const options = (env: Record<string, string>) => temporalConnectionOptions(loadConfig(env), read);

/** The variables a ConfigError names, from its issues. */
function named(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => i.split(':')[0]!);
  }
  throw new Error('no ConfigError');
}

test('without settings: plain gRPC to the embedded dev server, or to TEMPORAL_ADDRESS', () => {
  expect(options({})).toEqual({ address: '127.0.0.1:7233' });
  expect(options({ TEMPORAL_PORT: '7300' })).toEqual({ address: '127.0.0.1:7300' });
  expect(options({ TEMPORAL_ADDRESS: 'temporal:7233' })).toEqual({ address: 'temporal:7233' });
});

test('mutual TLS: client certificate and key, a private CA and a server name, read from their files', () => {
  expect(
    options({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CERT_PATH: '/pki/client.crt',
      TEMPORAL_TLS_KEY_PATH: '/pki/ec.key',
      TEMPORAL_TLS_CA_PATH: '/pki/ca.crt',
      TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal.internal',
    }),
  ).toEqual({
    address: 'temporal.internal:7233',
    tls: {
      clientCertPair: { crt: Buffer.from(PEM['/pki/client.crt']!), key: Buffer.from(PEM['/pki/ec.key']!) },
      serverRootCACertificate: Buffer.from(PEM['/pki/ca.crt']!),
      serverNameOverride: 'frontend.temporal.internal',
    },
  });
});

test('an API key implies TLS (with the system roots), as Temporal Cloud requires', () => {
  expect(options({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'secret' })).toEqual({
    address: 'ns.acct.tmprl.cloud:7233',
    tls: {},
    apiKey: 'secret',
  });
  // Any one TLS setting turns TLS on; TEMPORAL_TLS=true does with none.
  expect(options({ TEMPORAL_TLS_CA_PATH: '/pki/ca.crt' }).tls).toEqual({ serverRootCACertificate: Buffer.from(PEM['/pki/ca.crt']!) });
  expect(options({ TEMPORAL_TLS: 'true' })).toEqual({ address: '127.0.0.1:7233', tls: {} });
  expect(options({ TEMPORAL_TLS: 'false' })).toEqual({ address: '127.0.0.1:7233' });
});

test('bad combinations are refused when the configuration is loaded, naming the variable', () => {
  expect(named(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/pki/client.crt' }))).toEqual(['TEMPORAL_TLS_KEY_PATH']);
  expect(named(() => loadConfig({ TEMPORAL_TLS_KEY_PATH: '/pki/client.key' }))).toEqual(['TEMPORAL_TLS_CERT_PATH']);
  expect(named(() => loadConfig({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'secret' }))).toEqual(['TEMPORAL_TLS']);
  expect(() => loadConfig({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'secret' })).toThrow(/never sent in the clear/);
  expect(named(() => loadConfig({ TEMPORAL_TLS: 'yes' }))).toEqual(['TEMPORAL_TLS']);
});

test('an unreadable file, or one that holds something else, is refused naming its variable', () => {
  const base = { TEMPORAL_TLS_CERT_PATH: '/pki/client.crt', TEMPORAL_TLS_KEY_PATH: '/pki/client.key' };
  expect(named(() => options({ ...base, TEMPORAL_TLS_CA_PATH: '/pki/missing.crt' }))).toEqual(['TEMPORAL_TLS_CA_PATH']);
  expect(() => options({ ...base, TEMPORAL_TLS_CA_PATH: '/pki/missing.crt' })).toThrow(
    'TEMPORAL_TLS_CA_PATH: cannot read /pki/missing.crt (ENOENT)',
  );
  // Certificate and key swapped: each is refused for what it is not.
  expect(named(() => options({ TEMPORAL_TLS_CERT_PATH: '/pki/client.key', TEMPORAL_TLS_KEY_PATH: '/pki/client.key' }))).toEqual([
    'TEMPORAL_TLS_CERT_PATH',
  ]);
  expect(named(() => options({ TEMPORAL_TLS_CERT_PATH: '/pki/client.crt', TEMPORAL_TLS_KEY_PATH: '/pki/client.crt' }))).toEqual([
    'TEMPORAL_TLS_KEY_PATH',
  ]);
  expect(named(() => options({ ...base, TEMPORAL_TLS_CA_PATH: '/pki/notes.txt' }))).toEqual(['TEMPORAL_TLS_CA_PATH']);
});

test('the log line says how it connects, never with the key', () => {
  const described = describeTemporalConnection(
    options({
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_API_KEY: 'secret-key',
      TEMPORAL_TLS_SERVER_NAME: 'ns.acct.tmprl.cloud',
    }),
  );
  expect(described).toEqual({
    address: 'ns.acct.tmprl.cloud:7233',
    tls: true,
    clientCertificate: false,
    ca: 'system roots',
    serverName: 'ns.acct.tmprl.cloud',
    apiKey: true,
  });
  expect(JSON.stringify(described)).not.toContain('secret-key');
  expect(describeTemporalConnection(options({}))).toEqual({ address: '127.0.0.1:7233', tls: false, apiKey: false });
});
