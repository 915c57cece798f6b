import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../config/env';
import { chooseLogFormat, createLogger, requestLogger, requestLogLevel } from '../../api/logger';
import { formatLogLine } from '../../api/pretty-log';

/** A pino destination that keeps what is written. */
const capture = () => {
  const chunks: string[] = [];
  return { chunks, lines: () => chunks.join('').split('\n').filter(Boolean), write: (s: string) => void chunks.push(s) };
};

test('LOG_FORMAT: auto is human on a terminal, JSON on a pipe or an own destination; json and pretty are obeyed', () => {
  expect(loadConfig({}).LOG_FORMAT).toBe('auto');
  expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  expect(chooseLogFormat('auto', true, false)).toBe('pretty');
  expect(chooseLogFormat('auto', false, false)).toBe('json');
  expect(chooseLogFormat('auto', true, true)).toBe('json');
  expect(chooseLogFormat('json', true, false)).toBe('json');
  expect(chooseLogFormat('pretty', false, false)).toBe('pretty');
  expect(chooseLogFormat('pretty', false, true)).toBe('pretty');
});

test('a request line is info in JSON and debug in the human form; refusals and faults keep warn and error', () => {
  expect(requestLogLevel('json', 200, false)).toBe('info');
  expect(requestLogLevel('pretty', 200, false)).toBe('debug');
  expect(requestLogLevel('pretty', 304, false)).toBe('debug');
  expect(requestLogLevel('pretty', 404, false)).toBe('warn');
  expect(requestLogLevel('json', 409, false)).toBe('warn');
  expect(requestLogLevel('pretty', 503, false)).toBe('error');
  expect(requestLogLevel('json', 200, true)).toBe('error');
});

test('the JSON form is one JSON object a line, with the authorization header redacted', () => {
  const out = capture();
  const logger = createLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, 'api', out);
  logger.info({ req: { headers: { authorization: 'Bearer secret-token' } } }, 'api: hello');
  const [line] = out.lines();
  const entry = JSON.parse(line!) as { name: string; msg: string; req: { headers: { authorization: string } } };
  expect(entry).toMatchObject({ name: 'api', msg: 'api: hello', req: { headers: { authorization: '[redacted]' } } });
  expect(out.chunks.join('')).not.toContain('secret-token');
});

test('the human form: time, level, the message once, fields as key=value, an error stack below, secrets still redacted', () => {
  const out = capture();
  const logger = createLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }, 'worker', out);
  logger.info(
    { taskQueue: 'sales-process', headers: { authorization: 'Bearer secret-token' } },
    'worker: polling task queue sales-process',
  );
  logger.warn('Worker state changed');
  logger.error({ err: new Error('boom') }, 'worker: failed');
  logger.debug('not shown at info');
  const text = out.chunks.join('');
  const lines = out.lines();
  expect(lines[0]).toMatch(
    /^\d\d:\d\d:\d\d INFO {2}worker: polling task queue sales-process taskQueue=sales-process headers=\{"authorization":"\[redacted\]"\}$/,
  );
  expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d WARN {2}worker: Worker state changed$/);
  expect(lines[2]).toMatch(/^\d\d:\d\d:\d\d ERROR worker: failed$/);
  expect(lines[3]).toMatch(/^ {4}Error: boom$/);
  expect(lines[4]).toMatch(/^ {5,}at /);
  expect(text).not.toContain('secret-token');
  expect(text).not.toContain('not shown');
  expect(text).not.toContain('{"level"');
});

test('a line that is not JSON passes through the formatter unchanged', () => {
  expect(formatLogLine('plain text')).toBe('plain text\n');
});

describe('request lines', () => {
  let server: Server;
  let url: string;
  let mw: ReturnType<typeof requestLogger>;
  beforeAll(async () => {
    server = createServer((req, res) => {
      mw(req, res);
      res.statusCode = req.url?.startsWith('/missing') ? 404 : 200;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const requests = async (format: 'json' | 'pretty', level: 'info' | 'debug') => {
    const out = capture();
    mw = requestLogger(createLogger({ LOG_LEVEL: level, LOG_FORMAT: format }, 'api', out));
    await (await fetch(`${url}/api/customers?q=13912345678`)).text();
    await (await fetch(`${url}/missing?phone=13912345678`)).text();
    await new Promise((r) => setTimeout(r, 20));
    return out;
  };

  test('JSON at info: every request, its query values redacted', async () => {
    const out = await requests('json', 'info');
    const lines = out.lines().map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [30, 'GET /api/customers?q=[redacted] 200'],
      [40, 'GET /missing?phone=[redacted] 404'],
    ]);
    expect(out.chunks.join('')).not.toContain('13912345678');
  });

  test('human at info: a success is not shown, a refusal is; at debug both', async () => {
    const atInfo = await requests('pretty', 'info');
    expect(atInfo.lines()).toEqual([expect.stringMatching(/ WARN {2}api: GET \/missing\?phone=\[redacted\] 404 \(\d+ ms\)$/)]);
    const atDebug = await requests('pretty', 'debug');
    expect(atDebug.lines()).toEqual([
      expect.stringMatching(/ DEBUG api: GET \/api\/customers\?q=\[redacted\] 200 \(\d+ ms\)$/),
      expect.stringMatching(/ WARN {2}api: GET \/missing\?phone=\[redacted\] 404 \(\d+ ms\)$/),
    ]);
    expect(atDebug.chunks.join('')).not.toContain('13912345678');
  });
});
