import { z } from 'zod';
import type { AnyRoute } from '../../api/http';
import { buildRoutes } from '../../api/routes';
import type { Services } from '../../api/services';
import { rawRequest } from '../support/raw-http';
import { startSystem, type TestSystem } from '../support/system';

// Issue 13: bad input is the caller's fault, never the server's. Every route of the
// table gets a battery of malformed paths, queries, headers and bodies (invalid
// UTF-8, NUL, lone surrogates, huge and deeply nested JSON, arrays for objects,
// numbers out of range) from a caller allowed to call it; no answer may be a 5xx.

const ROUTES: AnyRoute[] = buildRoutes({} as Services);
const bytes = (...parts: (string | number[] | Buffer)[]): Buffer =>
  Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

/** Path segments: percent-encoded and raw invalid UTF-8, NUL, overlong, huge, traversal. */
const BAD_SEGMENTS: Buffer[] = [
  bytes('%FF'),
  bytes('%C0%AF'),
  bytes('%E0%A4%A'),
  bytes('%00'),
  bytes('a', [0xff, 0xfe], 'b'),
  bytes('%ED%A0%80'),
  bytes('x'.repeat(5000)),
  bytes('..%2F..%2Fetc'),
  bytes('%25'),
  bytes('-1'),
  bytes('1e400'),
  bytes('00000000-0000-0000-0000-000000000000'),
];

/** Values for one query parameter, already URL-encoded (or deliberately not). */
const BAD_QUERY_VALUES: Buffer[] = [
  bytes('%FF'),
  bytes('%00'),
  bytes([0xff]),
  bytes('x'.repeat(5000)),
  bytes('99999-01-01'),
  bytes('0000-00-00'),
  bytes('1e400'),
  bytes('-1'),
  bytes('99999999999999999999'),
  bytes('9999999999'),
  bytes('%ED%A0%80'),
];

/** JSON texts (as bytes) for a property of a body. */
const BAD_JSON_VALUES: Buffer[] = [
  bytes('[]'),
  bytes('{}'),
  bytes('[[[]]]'),
  bytes('1e400'),
  bytes('-1e400'),
  bytes('1e20'),
  bytes('9999999999'),
  bytes('99999999999999999999999'),
  bytes('-1'),
  bytes('0.5'),
  bytes('true'),
  bytes('null'),
  bytes('"\\u0000"'),
  bytes('"\\ud800"'),
  bytes('"\\udc00x"'),
  bytes('"', [0xff, 0xfe], '"'),
  bytes(JSON.stringify('x'.repeat(50_000))),
  bytes('"99999-12-31T00:00:00Z"'),
  bytes('{"a":'.repeat(200), '1', '}'.repeat(200)),
  bytes('{"a":'.repeat(20_000), '"\\ud800"', '}'.repeat(20_000)),
  bytes('['.repeat(200), ']'.repeat(200)),
  bytes(JSON.stringify({ __proto__: { admin: true } })),
];

/** Whole bodies. */
const BAD_BODIES: Buffer[] = [
  bytes('{"a":"', [0xff, 0xfe, 0xc0, 0xaf], '"}'),
  bytes('{"a":'.repeat(20_000), '1', '}'.repeat(20_000)),
  bytes('['.repeat(50_000), ']'.repeat(50_000)),
  bytes('[]'),
  bytes('[{}]'),
  bytes('"text"'),
  bytes('null'),
  bytes('123'),
  bytes('{"a":"\\ud800"}'),
  bytes('{"a":'),
  bytes('{"__proto__":{"x":1},"constructor":{"prototype":{"y":1}}}'),
  bytes(JSON.stringify({ a: 'x'.repeat(300_000) })),
  bytes([0xef, 0xbb, 0xbf], '{}'),
];

/** Header sets; `token` is the caller's bearer token. */
const badHeaders = (token: string): Record<string, Buffer | string>[] => [
  { authorization: bytes('Bearer ', [0xff, 0xfe]) },
  { authorization: `Bearer ${'a'.repeat(8000)}` },
  { authorization: 'Basic YWRtaW46YWRtaW4=' },
  { authorization: `Bearer ${token}`, 'idempotency-key': bytes([0xff, 0xfe, 0x00 + 0x41]) },
  { authorization: `Bearer ${token}`, 'idempotency-key': 'k'.repeat(5000) },
  { authorization: `Bearer ${token}`, 'x-request-id': bytes([0xff], 'x'.repeat(3000)) },
  { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=latin9' },
  { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-16' },
  { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
  { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': 'zstd' },
  { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
  { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=x' },
];

/** The property names a schema declares at its top level (each branch of a union). */
function topLevelKeys(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const keys = new Set<string>(['unknownField']);
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { properties?: Record<string, unknown>; anyOf?: unknown[]; oneOf?: unknown[]; allOf?: unknown[] };
    Object.keys(n.properties ?? {}).forEach((k) => keys.add(k));
    [...(n.anyOf ?? []), ...(n.oneOf ?? []), ...(n.allOf ?? [])].forEach(visit);
  };
  visit(json);
  return [...keys];
}

const pathWith = (spec: AnyRoute, segment: Buffer | undefined): Buffer => {
  const parts = spec.path.split(/(:[A-Za-z]+)/).filter((p) => p.length > 0);
  return Buffer.concat(parts.map((p) => (p.startsWith(':') ? (segment ?? Buffer.from('x')) : Buffer.from(p))));
};

let sys: TestSystem;
let token: string;

beforeAll(async () => {
  sys = await startSystem({ LOG_LEVEL: 'silent' });
  token = (await sys.login('admin')).token;
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

test('no route answers bad input with a 5xx', async () => {
  const failures: string[] = [];
  let sent = 0;
  const queue: (() => Promise<void>)[] = [];

  for (const spec of ROUTES) {
    const method = spec.method.toUpperCase();
    const hasBody = method !== 'GET' && method !== 'DELETE';
    // Signing out would end the session the rest of the battery uses.
    const json: Record<string, string> = { 'content-type': 'application/json' };
    if (spec.id !== 'auth.logout') json.authorization = `Bearer ${token}`;
    const send = (path: Buffer, headers: Record<string, Buffer | string>, body?: Buffer, what = '') =>
      queue.push(async () => {
        sent++;
        const res = await rawRequest(sys.url, method, path, headers, hasBody ? (body ?? Buffer.from('{}')) : undefined);
        if (res.status >= 500) failures.push(`${spec.id} ${what}: ${res.status} ${res.text.split('\r\n\r\n')[1] ?? ''}`);
      });

    const base = pathWith(spec, undefined);
    if (spec.path.includes(':'))
      for (const seg of BAD_SEGMENTS) send(pathWith(spec, seg), json, undefined, `path ${seg.toString('latin1').slice(0, 40)}`);

    const queryKeys = [...topLevelKeys(spec.query), 'limit'];
    for (const key of queryKeys) {
      for (const value of BAD_QUERY_VALUES)
        send(bytes(base.toString('latin1'), `?${key}=`, value), json, undefined, `query ${key}=${value.toString('latin1').slice(0, 30)}`);
      send(bytes(base.toString('latin1'), `?${key}=1&${key}=2`), json, undefined, `query ${key} twice`);
      send(bytes(base.toString('latin1'), `?${key}[a]=1`), json, undefined, `query ${key}[a]`);
    }
    send(bytes(base.toString('latin1'), '?', 'a=1&'.repeat(3000)), json, undefined, 'query 3000 keys');

    badHeaders(token).forEach((headers, i) =>
      send(base, spec.id === 'auth.logout' ? { ...headers, authorization: '' } : headers, bytes('{'), `headers #${i}`),
    );

    if (hasBody) {
      BAD_BODIES.forEach((body, i) => send(base, json, body, `body #${i}`));
      for (const key of topLevelKeys(spec.body))
        BAD_JSON_VALUES.forEach((value, i) => send(base, json, bytes(`{${JSON.stringify(key)}:`, value, '}'), `body.${key} #${i}`));
    }
  }

  // A few at a time: enough to finish quickly, few enough not to starve the shared machine.
  const workers = Array.from({ length: 4 }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await job();
  });
  await Promise.all(workers);
  expect(sent).toBeGreaterThan(1000);
  expect(failures).toEqual([]);
}, 300_000);
