import { pdfFont } from '../../api/services/report-pdf';
import { ConfigError, loadConfig, requireDatabaseUrl } from '../../config/env';

test('defaults describe the embedded local setup', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    PORT: 3000,
    TEMPORAL_PORT: 7233,
    TEMPORAL_UI_PORT: 8233,
    CORS_ORIGINS: [],
  });
  expect(config.TEMPORAL_ADDRESS).toBeUndefined();
  // Unset: `npm start` runs the embedded Postgres; other entry points refuse clearly.
  expect(config.DATABASE_URL).toBeUndefined();
  expect(() => requireDatabaseUrl(config)).toThrow(/DATABASE_URL is not set/);
  expect(requireDatabaseUrl(loadConfig({ DATABASE_URL: 'postgresql://u@h:1/d' }))).toBe('postgresql://u@h:1/d');
});

test('values are coerced and lists split', () => {
  expect(loadConfig({ PORT: '8080', CORS_ORIGINS: 'http://a.test, http://b.test' })).toMatchObject({
    PORT: 8080,
    CORS_ORIGINS: ['http://a.test', 'http://b.test'],
  });
});

/** The variables a configuration names as bad (none if it loads). */
function badVariables(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => i.split(':')[0]!);
  }
}

test('every bad variable is named', () => {
  expect(badVariables({ PORT: 'eighty', DATABASE_URL: 'not a url', DEMO_USER_PASSWORD: 'short' })).toEqual([
    'DATABASE_URL',
    'PORT',
    'DEMO_USER_PASSWORD',
  ]);
  expect(badVariables({ PORT: 'eighty', DATABASE_URL: 'not a url' })).toEqual(['DATABASE_URL', 'PORT']);
});

test("the worker's cache bound: unset leaves the SDK's sizing; a whole number of at least 2, or the variable is named", () => {
  expect(loadConfig({}).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
  expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '500' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(500);
  for (const bad of ['0', '1', '2.5', 'many', '-3'])
    expect(badVariables({ WORKER_MAX_CACHED_WORKFLOWS: bad })).toEqual(['WORKER_MAX_CACHED_WORKFLOWS']);
});

test('empty values count as unset', () => {
  const config = loadConfig({ TEMPORAL_ADDRESS: '', PORT: '' });
  expect(config.TEMPORAL_ADDRESS).toBeUndefined();
  expect(config.PORT).toBe(3000);
});

test('operations defaults: a 10 s bound on workflow waits, info logs, no metrics token', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({ HTTP_WORKFLOW_TIMEOUT_MS: 10_000, LOG_LEVEL: 'info' });
  expect(config.METRICS_TOKEN).toBeUndefined();
  expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
});

test('the PDF font: the configured path when it exists, none when it does not', () => {
  expect(pdfFont({ PDF_FONT_PATH: '/nonexistent/font.ttc', PDF_FONT_NAME: 'X' })).toBeUndefined();
  expect(pdfFont({ PDF_FONT_PATH: __filename, PDF_FONT_NAME: 'X' })).toEqual({ path: __filename, name: 'X' });
});
