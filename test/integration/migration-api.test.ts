import { randomUUID } from 'node:crypto';
import { migrationDefinition } from '../support/migration-definitions';
import { eventually, startSystem, type Session, type TestSystem } from '../support/system';

// Migrating a running instance through the API: the dry run changes nothing, bad
// mappings are 400s naming the field, only definition publishers may migrate, the
// apply is idempotent by its key and audited — real HTTP, the dev server, Postgres.

let sys: TestSystem;
let admin: Session;
let supervisor: Session;
let agent: Session;
const key = `mig-api-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  sys = await startSystem();
  [admin, supervisor, agent] = await Promise.all([sys.login('admin'), sys.login('supervisor'), sys.login('agent')]);
  for (const version of [1, 2] as const) {
    const res = await admin.post('/api/definitions', { definition: migrationDefinition(version, key) });
    expect(res.status).toBe(201);
  }
});
afterAll(() => sys?.stop());

const openTask = (processId: string, taskKey: string) =>
  eventually(
    () => sys.prisma.task.findFirst({ where: { processId, taskKey, status: 'open' } }).then((t) => t ?? undefined),
    15_000,
    taskKey,
  );

test('dry run, refusals, apply once with its key, and the instance goes on in the new version', async () => {
  const started = await supervisor.post('/api/processes', { definition: key, version: 1, projectId: 'DEMO', input: {} });
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  const intake = await openTask(id, 'intake');
  expect((await agent.post(`/api/tasks/${intake.id}/complete`, { outcome: 'done', data: {} })).status).toBe(200);
  const report = await openTask(id, 'phases[1]/report');
  const path = `/api/processes/${encodeURIComponent(id)}/migrate`;

  // The dry run: what would happen, nothing changed.
  const preview = await admin.post(path, { version: 2, mapping: { report: 'phase-report' }, dryRun: true });
  expect(preview.status).toBe(200);
  expect(preview.body).toMatchObject({
    dryRun: true,
    applicable: true,
    problems: [],
    fromVersion: 1,
    toVersion: 2,
    moved: [{ taskId: report.id, fromKey: 'phases[1]/report', toKey: 'phases[1]/phase-report' }],
    withdrawn: [],
    skipped: ['kickoff'],
    starts: ['notes'],
  });
  // Without a mapping the running `report` has nowhere to go: the preview says why.
  const unmapped = await admin.post(path, { version: 2, dryRun: true });
  expect(unmapped.body).toMatchObject({ applicable: false, problems: [{ field: 'mapping.report' }] });

  // Bad input: a 4xx naming the field, nothing changed.
  const bad = await admin.post(path, { version: 2, mapping: { report: 'nowhere' } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.mapping.report' })]));
  const noVersion = await admin.post(path, { version: 7, mapping: {} });
  expect(noVersion.status).toBe(400);
  expect(noVersion.body.error.details).toEqual([expect.objectContaining({ field: 'body.version' })]);
  expect((await admin.post(path, { version: 'two' })).status).toBe(400);
  // Only those who publish definitions move instances onto them.
  expect((await supervisor.post(path, { version: 2, mapping: { report: 'phase-report' } })).status).toBe(403);
  expect((await sys.prisma.processInstance.findUniqueOrThrow({ where: { id } })).definitionVersion).toBe(1);
  expect((await sys.prisma.task.findUniqueOrThrow({ where: { id: report.id } })).taskKey).toBe('phases[1]/report');

  // Apply, and repeat with the same key: one migration.
  const idempotencyKey = randomUUID();
  const applied = await admin.post(path, { version: 2, mapping: { report: 'phase-report' } }, { 'Idempotency-Key': idempotencyKey });
  expect(applied.status).toBe(200);
  expect(applied.body).toMatchObject({ dryRun: false, fromVersion: 1, toVersion: 2, skipped: ['kickoff'] });
  const again = await admin.post(path, { version: 2, mapping: { report: 'phase-report' } }, { 'Idempotency-Key': idempotencyKey });
  expect(again.status).toBe(200);
  expect(again.body).toEqual(applied.body);
  expect(await sys.prisma.processEvent.count({ where: { processId: id, type: 'process.migrated' } })).toBe(1);
  expect(await sys.prisma.auditEvent.count({ where: { objectId: id, action: 'process.migrate' } })).toBe(1);
  // A second migration to the version it runs now is refused.
  expect((await admin.post(path, { version: 2, mapping: {} })).status).toBe(400);

  const shown = await supervisor.get(`/api/processes/${encodeURIComponent(id)}`);
  expect(shown.body).toMatchObject({ definitionVersion: 2, steps: { kickoff: 'skipped' } });
  expect(shown.body.history.map((e: { type: string }) => e.type)).toContain('process.migrated');

  // The moved task is the same task: the agent completes it under its new step, and the new `check` follows.
  const moved = await agent.get(`/api/tasks/${report.id}`);
  expect(moved.body).toMatchObject({ taskKey: 'phases[1]/phase-report', title: 'phase-report', status: 'open' });
  expect((await agent.post(`/api/tasks/${report.id}/complete`, { outcome: 'done', data: { summary: 'moved' } })).status).toBe(200);
  await openTask(id, 'phases[1]/check');
  await openTask(id, 'notes');
  expect((await supervisor.post(`/api/processes/${encodeURIComponent(id)}/cancel`)).status).toBe(202);
});
