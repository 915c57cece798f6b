import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { startApi, type RunningApi } from '../../api/server';
import { loadConfig } from '../../config/env';
import { createPrismaClient, type PrismaClient } from '../../db/client';
import { createBackup } from '../../scripts/backup';
import { http, installQuietRuntime } from '../support/system';
import { readTestEnv, type TestEnv } from '../support/test-env';

// Issue 22 ("Trust"), the smaller findings, through the real API over HTTP and the
// real backup: group robots only on their providers' public hosts; the customer
// export's owner; request logs without the query's values (phones in searches);
// backups and the Temporal store readable by their owner only.

const lines: Record<string, unknown>[] = [];
/** Collects the API's JSON log lines. */
const capture: DestinationStream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };

let env: TestEnv;
let api: RunningApi;
let prisma: PrismaClient;

beforeAll(async () => {
  installQuietRuntime();
  env = readTestEnv();
  prisma = createPrismaClient(env.databaseUrl);
  // The defaults: no NOTIFY_WEBHOOK_* settings, as in production.
  api = await startApi(
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: env.databaseUrl,
      TEMPORAL_ADDRESS: env.temporalAddress,
      PORT: '0',
      LOG_LEVEL: 'info',
    }),
    { logDestination: capture },
  );
});

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
});

async function login(username: string): Promise<string> {
  const res = await http<{ token: string }>(api.url, 'POST', '/api/auth/login', { body: { username, password: env.password } });
  expect(res.status).toBe(200);
  return res.body.token;
}

test('a group robot on a private, loopback, link-local or foreign host is refused with 400 naming body.url; a provider host is accepted', async () => {
  const token = await login('admin');
  const robot = (url: string, provider = 'wecom') =>
    http<any>(api.url, 'POST', '/api/notification-webhooks', { token, body: { name: 'Trust robot', provider, url, active: false } });
  for (const url of [
    'http://127.0.0.1:8080/admin',
    'https://127.0.0.1/admin',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]/x',
    'https://[fd00:ec2::254]/x',
    'https://10.0.0.5/x',
    'https://localhost/x',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://qyapi.weixin.qq.com.attacker.test/cgi-bin/webhook/send?key=k',
    'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k',
  ]) {
    const res = await robot(url);
    expect([url, res.status]).toEqual([url, 400]);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.url']);
  }
  // A DingTalk robot on WeCom's host is not a DingTalk robot.
  expect((await robot('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', 'dingtalk')).status).toBe(400);
  const good = await robot('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=trust');
  expect(good.status).toBe(201);
  // Changing a saved robot's URL goes through the same check; nothing changes when refused.
  const patched = await http<any>(api.url, 'PATCH', `/api/notification-webhooks/${good.body.id}`, {
    token,
    body: { url: 'https://169.254.169.254/latest/meta-data/' },
  });
  expect(patched.status).toBe(400);
  expect(patched.body.error.details[0].field).toBe('body.url');
  const listed = await http<any[]>(api.url, 'GET', '/api/notification-webhooks', { token });
  expect(listed.body.find((w) => w.id === good.body.id).url).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?…');
  expect((await http(api.url, 'DELETE', `/api/notification-webhooks/${good.body.id}`, { token })).status).toBe(204);
});

test('a dead letter from before the guard shows the robot’s status code, not what it answered', async () => {
  const dead = await prisma.notificationDelivery.create({
    data: {
      idempotencyKey: `trust:${Date.now()}`,
      channel: 'wecom',
      target: '00000000-0000-4000-8000-000000000000',
      kind: 'task.created',
      template: 'task.created',
      locale: 'zh-CN',
      subject: 'Trust',
      body: 'Trust',
      status: 'dead',
      lastError: 'webhook answered 500: <html>internal admin: db password hunter2</html>',
    },
  });
  const listed = await http<{ items: any[] }>(api.url, 'GET', '/api/notifications/dead-letters?limit=200', { token: await login('admin') });
  expect(listed.body.items.find((d) => d.id === dead.id.toString()).lastError).toBe('webhook answered 500');
  await prisma.notificationDelivery.delete({ where: { id: dead.id } });
});

test("the customer export names each customer's owner, as the list does", async () => {
  const agent = await login('agent');
  const phone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const registered = await http<any>(api.url, 'POST', '/api/customers', {
    token: agent,
    body: { projectId: 'DEMO', name: '=HYPERLINK("http://evil.test","x")', phone },
  });
  expect(registered.status).toBe(201);
  const exported = await http<any[]>(api.url, 'GET', '/api/customers/export?projectId=DEMO', { token: await login('supervisor') });
  expect(exported.status).toBe(200);
  const row = exported.body.find((c) => c.phone === phone);
  expect(row.owner).toEqual({ id: expect.any(String), username: 'agent', displayName: '张伟' });
  expect(exported.body.every((c) => typeof c.owner?.displayName === 'string' && c.owner.displayName.length > 0)).toBe(true);
});

test('a logged request URL keeps the query keys and hides the values (a phone searched for)', async () => {
  const token = await login('supervisor');
  const phone = '13912345678';
  const res = await http(api.url, 'GET', `/api/customers?projectId=DEMO&q=${phone}`, {
    token,
    headers: { 'X-Request-Id': 'trust-redact-0001' },
  });
  expect(res.status).toBe(200);
  let line: Record<string, any> | undefined;
  for (let i = 0; i < 50 && !line; i++) {
    line = lines.find((l) => (l.req as { id?: string } | undefined)?.id === 'trust-redact-0001');
    if (!line) await new Promise((r) => setTimeout(r, 20));
  }
  expect(line?.req.url).toBe('/api/customers?projectId=[redacted]&q=[redacted]');
  expect(line?.msg).toBe('GET /api/customers?projectId=[redacted]&q=[redacted] 200');
  expect(JSON.stringify(lines)).not.toContain(phone);
});

test('a backup is written owner-only: 0700 folder (an existing 0755 one tightened), 0600 archive, whatever the umask', async () => {
  const root = mkdtempSync(join(tmpdir(), 'trust-backup-'));
  const before = process.umask(0o022);
  try {
    const dataDir = join(root, 'data');
    const backupDir = join(root, 'backups');
    mkdirSync(dataDir, { mode: 0o755 });
    mkdirSync(backupDir, { mode: 0o755 });
    // A Temporal store as the dev server leaves it: SQLite in WAL mode.
    const sqlite = spawnSync(
      'sqlite3',
      [join(dataDir, 'temporal.db'), 'PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);'],
      {
        encoding: 'utf8',
      },
    );
    expect(sqlite.status).toBe(0);
    const archive = await createBackup(
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: env.databaseUrl, DATA_DIR: dataDir, BACKUP_DIR: backupDir }),
      () => undefined,
    );
    expect(statSync(backupDir).mode & 0o777).toBe(0o700);
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    expect(readdirSync(backupDir)).toEqual([archive.slice(backupDir.length + 1)]);
    // The caller's umask is left as it was.
    expect(process.umask()).toBe(0o022);
  } finally {
    process.umask(before);
    rmSync(root, { recursive: true, force: true });
  }
});
