import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// No Docker engine and no Compose v2 on the machines this runs on, so the compose
// file is checked against the Compose Specification's own JSON Schema (kept in
// ../shared beside the repository), and its operational promises are checked here.

const ROOT = join(__dirname, '..', '..');
const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
// `merge`: anchors with `<<` are resolved as Compose resolves them before validating.
const compose = parse(text, { merge: true }) as {
  services: Record<string, Record<string, any>>;
  networks: Record<string, { internal?: boolean } | null>;
};
const services = compose.services;

test('docker-compose.yml is valid against the Compose Specification schema', () => {
  // Draft-07, Ajv's default dialect; its `$schema` spells the meta-schema's URL (https,
  // no '#') differently from the one Ajv registers, so it is left out.
  const { $schema: _dialect, ...schema } = JSON.parse(readFileSync(join(ROOT, '..', 'shared', 'schemas', 'compose-spec.json'), 'utf8'));
  // Formats (durations, ...) are not part of what this checks; unknown keywords are Compose's own.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(schema);
  const ok = validate(compose);
  expect(ajv.errorsText(validate.errors, { separator: '\n' })).toBe('No errors');
  expect(ok).toBe(true);
  // The schema does bite: a misspelt key in a service is refused.
  const misspelt = structuredClone(compose);
  misspelt.services.api!.healtcheck = misspelt.services.api!.healthcheck;
  expect(validate(misspelt)).toBe(false);
});

test('only the API publishes a port; Temporal, its UI and the databases stay on the internal network', () => {
  const published = Object.entries(services)
    .filter(([, s]) => s.ports)
    .map(([name]) => name);
  expect(published).toEqual(['api']);
  expect(compose.networks.backend?.internal).toBe(true);
  for (const name of ['temporal-db', 'app-db', 'temporal', 'temporal-ui', 'temporal-schema', 'temporal-namespace']) {
    expect({ name, networks: services[name]!.networks }).toEqual({ name, networks: ['backend'] });
  }
});

test('every secret is required, none has a default', () => {
  for (const secret of ['APP_DB_PASSWORD', 'TEMPORAL_DB_PASSWORD', 'ADMIN_PASSWORD']) {
    const uses = [...text.matchAll(new RegExp(`\\$\\{${secret}(:?[?-])`, 'g'))].map((m) => m[1]);
    expect(uses.length).toBeGreaterThan(0);
    expect({ secret, uses }).toEqual({ secret, uses: uses.map(() => ':?') });
  }
  // No literal password anywhere: each POSTGRES_PASSWORD / *_PWD comes from a required variable.
  for (const [name, service] of Object.entries(services)) {
    for (const [key, value] of Object.entries((service.environment ?? {}) as Record<string, unknown>)) {
      if (/PASSWORD|PWD/.test(key) && key !== 'DEMO_USER_PASSWORD')
        expect({ name, key, value }).toEqual({ name, key, value: expect.stringMatching(/^\$\{[A-Z_]+:\?/) });
    }
  }
});

test('the application runs after its jobs, with health checks and restart policies', () => {
  expect(services.migrate).toMatchObject({ command: ['node', 'dist/scripts/migrate.js'], restart: 'no' });
  expect(services.setup).toMatchObject({
    command: ['node', 'dist/scripts/create-admin.js'],
    depends_on: { migrate: { condition: 'service_completed_successfully' } },
  });
  expect(services['temporal-schema']!.image).toMatch(/^temporalio\/admin-tools:/);
  expect(services.temporal!.image).toMatch(/^temporalio\/server:/);
  expect(services.temporal!.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
  for (const name of ['api', 'worker']) {
    expect(services[name]).toMatchObject({ restart: 'unless-stopped', healthcheck: { test: expect.any(Array) } });
    expect(services[name]!.depends_on).toMatchObject({ 'temporal-namespace': { condition: 'service_completed_successfully' } });
  }
  // The scripts the containers run exist (compiled from these sources by the Dockerfile's build).
  for (const script of ['migrate', 'create-admin', 'worker-health'])
    expect(() => readFileSync(join(ROOT, 'scripts', `${script}.ts`))).not.toThrow();
});
