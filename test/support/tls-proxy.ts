import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

// The Temporal CLI's dev server has no TLS flags (`temporal server start-dev --help`
// lists none), so the tests put a TLS front in front of it: a real HTTP/2 server
// with a real certificate that demands a client certificate from a CA of the test's
// own and an API key, and passes each gRPC call on, as plain HTTP/2, to the dev
// server. The SDK's clients (grpc-js in the API, Core's Rust client in the worker)
// see what they would see in front of a cluster that requires mutual TLS, or of
// Temporal Cloud with an API key.

/** Files of a throw-away PKI: a CA, a server certificate for `serverName`, a client certificate. */
export interface TestPki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second CA that signed nothing this server trusts. */
  otherCaCert: string;
  serverName: string;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A P-256 key and a certificate for `name` signed by `ca` (or self-signed as a CA when `ca` is absent). */
function certificate(dir: string, name: string, kind: 'ca' | 'server' | 'client', ca?: string): void {
  openssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
  if (kind === 'ca') {
    openssl(
      dir,
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    return;
  }
  const extensions = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    `extendedKeyUsage=${kind === 'server' ? 'serverAuth' : 'clientAuth'}`,
    ...(kind === 'server' ? [`subjectAltName=DNS:${name}`] : []),
  ];
  writeFileSync(join(dir, `${name}.ext`), extensions.join('\n') + '\n');
  openssl(dir, 'req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  );
}

/** Makes a CA, a server certificate for `serverName` and a client certificate with `openssl`, into `dir`. */
export function makeTestPki(dir: string, serverName = 'temporal.test'): TestPki {
  certificate(dir, 'test-ca', 'ca');
  certificate(dir, 'other-ca', 'ca');
  certificate(dir, serverName, 'server', 'test-ca');
  certificate(dir, 'salesproc-client', 'client', 'test-ca');
  return {
    caCert: join(dir, 'test-ca.crt'),
    otherCaCert: join(dir, 'other-ca.crt'),
    serverCert: join(dir, `${serverName}.crt`),
    serverKey: join(dir, `${serverName}.key`),
    clientCert: join(dir, 'salesproc-client.crt'),
    clientKey: join(dir, 'salesproc-client.key'),
    serverName,
  };
}

/** A running TLS front and what it saw. */
export interface TlsProxy {
  /** `127.0.0.1:<port>`: what TEMPORAL_ADDRESS points at. */
  address: string;
  /** The `user-agent` of every call passed on (grpc-node-js for the API, Core's client for the worker). */
  userAgents: Set<string>;
  /** Calls refused for a missing or wrong API key. */
  refusedCalls: number;
  /** TLS handshakes that failed (no client certificate, or one from another CA). */
  failedHandshakes: number;
  close(): Promise<void>;
}

const { HTTP2_HEADER_METHOD, HTTP2_HEADER_PATH, HTTP2_HEADER_AUTHORITY, HTTP2_HEADER_SCHEME, NGHTTP2_CANCEL, NGHTTP2_NO_ERROR } =
  http2.constants;

/**
 * Starts the TLS front for `target` (the plain dev server): the server certificate
 * of `pki`, client certificates signed by its CA required, and every call refused
 * with gRPC's UNAUTHENTICATED unless it carries `authorization: Bearer <apiKey>`.
 */
export async function startTlsProxy(options: { target: string; pki: TestPki; apiKey: string }): Promise<TlsProxy> {
  const upstream = http2.connect(`http://${options.target}`);
  upstream.on('error', () => undefined);
  const server = http2.createSecureServer({
    cert: readFileSync(options.pki.serverCert),
    key: readFileSync(options.pki.serverKey),
    ca: readFileSync(options.pki.caCert),
    requestCert: true,
    rejectUnauthorized: true,
  });
  const proxy: TlsProxy = {
    address: '',
    userAgents: new Set(),
    refusedCalls: 0,
    failedHandshakes: 0,
    close: async () => {
      upstream.destroy();
      // Long polls hold their sessions open: end them rather than wait for them.
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => undefined);
  });
  server.on('tlsClientError', () => proxy.failedHandshakes++);
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    if (headers.authorization !== `Bearer ${options.apiKey}`) {
      proxy.refusedCalls++;
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '16', 'grpc-message': 'missing or wrong API key' },
        { endStream: true },
      );
      return;
    }
    proxy.userAgents.add(String(headers['user-agent'] ?? ''));
    const forwarded: http2.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(headers)) {
      if (name.startsWith(':') && name !== HTTP2_HEADER_METHOD && name !== HTTP2_HEADER_PATH) continue;
      forwarded[name] = value;
    }
    delete forwarded[HTTP2_HEADER_AUTHORITY];
    delete forwarded[HTTP2_HEADER_SCHEME];
    const call = upstream.request(forwarded);
    call.on('error', () => undefined);
    let trailers: http2.IncomingHttpHeaders = {};
    call.on('response', (responseHeaders, flags) => {
      // A trailers-only answer (a gRPC error) ends with its headers.
      if (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) {
        stream.respond(responseHeaders, { endStream: true });
        return;
      }
      stream.respond(responseHeaders, { waitForTrailers: true });
      call.pipe(stream);
    });
    call.on('trailers', (t) => (trailers = t));
    stream.on('wantTrailers', () => {
      const { ':status': _status, ...rest } = trailers;
      stream.sendTrailers(rest);
    });
    stream.pipe(call);
    // A caller that gives up (a long poll on shutdown) cancels the call upstream, and the reverse.
    stream.on('close', () => {
      if (!call.closed) call.close(NGHTTP2_CANCEL);
    });
    call.on('close', () => {
      if (call.rstCode !== undefined && call.rstCode !== NGHTTP2_NO_ERROR && !stream.closed) stream.close(call.rstCode);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
