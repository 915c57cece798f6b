import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildSpawnError, describeExit, groupAlive, Supervisor, type ChildExit } from '../../scripts/supervisor';

// Real processes, small node scripts: the supervisor's whole job is what happens
// to processes, which a mock could not show.

let dir: string;
const supervisors: Supervisor[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'supervisor-'));
  // Appends one line per start, then exits with the given code after a delay.
  writeFileSync(
    join(dir, 'crash.js'),
    `require('fs').appendFileSync(process.argv[2], Date.now() + '\\n');
     setTimeout(() => process.exit(Number(process.argv[3])), Number(process.argv[4]));`,
  );
  // Ignores SIGTERM: only SIGKILL ends it.
  writeFileSync(join(dir, 'stubborn.js'), `process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);`);
  // Starts a grandchild in its own group and writes its pid: what a tsx wrapper does.
  writeFileSync(
    join(dir, 'parent.js'),
    `const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
     require('fs').writeFileSync(process.argv[2], String(c.pid));
     setInterval(() => {}, 1000);`,
  );
});

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function supervisor(options: ConstructorParameters<typeof Supervisor>[0] = {}): { s: Supervisor; lines: string[]; exits: ChildExit[] } {
  const lines: string[] = [];
  const exits: ChildExit[] = [];
  const s = new Supervisor({ initialBackoffMs: 100, log: (l) => lines.push(l), ...options });
  s.onExit((e) => exits.push(e));
  supervisors.push(s);
  return { s, lines, exits };
}

async function until<T>(check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const starts = (file: string) => readFileSyncOr(file).trim().split('\n').filter(Boolean).map(Number);

test('a crashing child is restarted with exponential backoff, and the reason is logged', async () => {
  const log = join(dir, 'crash.log');
  const { s, lines } = supervisor();
  await s.start({ name: 'crasher', command: process.execPath, args: [join(dir, 'crash.js'), log, '3', '0'] });
  await until(() => starts(log).length >= 4);
  const t = starts(log);
  // 100, 200, 400 ms between starts (plus node's own start-up time).
  const gaps = [t[1]! - t[0]!, t[2]! - t[1]!, t[3]! - t[2]!];
  expect(gaps[0]).toBeGreaterThanOrEqual(100);
  expect(gaps[1]).toBeGreaterThanOrEqual(200);
  expect(gaps[2]).toBeGreaterThanOrEqual(400);
  expect(lines).toContainEqual(expect.stringMatching(/^supervisor: crasher \(pid \d+\) exit code 3; restarting in 100 ms$/));
  expect(lines).toContainEqual(expect.stringMatching(/crasher \(pid \d+\) exit code 3; restarting in 400 ms$/));
});

test('the backoff caps at its maximum', async () => {
  const log = join(dir, 'cap.log');
  const { s, lines } = supervisor({ initialBackoffMs: 50, maxBackoffMs: 120 });
  await s.start({ name: 'capped', command: process.execPath, args: [join(dir, 'crash.js'), log, '1', '0'] });
  await until(() => lines.filter((l) => l.includes('restarting in 120 ms')).length >= 2);
  expect(lines.some((l) => /restarting in (2\d\d|[3-9]\d\d) ms/.test(l))).toBe(false);
});

test('a child killed by a signal is restarted and the signal named', async () => {
  const { s, lines, exits } = supervisor();
  const first = await s.start({ name: 'victim', command: process.execPath, args: [join(dir, 'stubborn.js')] });
  process.kill(first.pid!, 'SIGKILL');
  await until(() => s.pid('victim') !== undefined && s.pid('victim') !== first.pid);
  expect(exits[0]).toMatchObject({ name: 'victim', pid: first.pid, signal: 'SIGKILL', restarting: true });
  expect(lines).toContainEqual(`supervisor: victim (pid ${first.pid}) killed by SIGKILL; restarting in 100 ms`);
});

test("killing a child's leader also ends what it started (no orphans)", async () => {
  const pidFile = join(dir, 'grandchild.pid');
  const { s } = supervisor();
  const leader = await s.start({ name: 'wrapper', command: process.execPath, args: [join(dir, 'parent.js'), pidFile] });
  const grandchild = Number(await until(() => (readFileSyncOr(pidFile) || undefined) as string | undefined));
  expect(alive(grandchild)).toBe(true);
  process.kill(leader.pid!, 'SIGKILL');
  await until(() => !alive(grandchild));
  expect(groupAlive(leader.pid!)).toBe(false);
});

test('stop escalates to SIGKILL at the deadline and leaves nothing running', async () => {
  const { s, lines, exits } = supervisor({ stopTimeoutMs: 1000 });
  const stubborn = await s.start({ name: 'stubborn', command: process.execPath, args: [join(dir, 'stubborn.js')] });
  // Let it install its SIGTERM handler.
  await new Promise((r) => setTimeout(r, 300));
  const started = Date.now();
  await s.stop();
  expect(Date.now() - started).toBeLessThan(2500);
  expect(groupAlive(stubborn.pid!)).toBe(false);
  expect(lines).toContainEqual('supervisor: stubborn did not stop in time; killing it');
  expect(exits).toEqual([expect.objectContaining({ name: 'stubborn', signal: 'SIGKILL', restarting: false })]);
});

test('stop goes by stop order: applications before the servers they use', async () => {
  const { s, exits } = supervisor();
  await s.start({ name: 'server', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], stopOrder: 1 });
  await s.start({ name: 'app', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] });
  await s.stop();
  expect(exits.map((e) => e.name)).toEqual(['app', 'server']);
  expect(exits.every((e) => !e.restarting)).toBe(true);
});

test('a child whose executable has gone is tried again, later each time, and says why', async () => {
  const script = join(dir, 'vanishing.sh');
  writeFileSync(script, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  const { s, lines } = supervisor({ initialBackoffMs: 50 });
  await s.start({ name: 'vanishing', command: script, args: [] });
  rmSync(script);
  await until(() => lines.filter((l) => l.includes('could not be started')).length >= 2);
  expect(lines).toContainEqual(
    expect.stringMatching(/^supervisor: vanishing could not be started \(spawn .*ENOENT\); restarting in 100 ms$/),
  );
  expect(lines).toContainEqual(expect.stringMatching(/^supervisor: vanishing could not be started .*; restarting in 200 ms$/));
});

test('a child that cannot be spawned is a typed error', async () => {
  const { s } = supervisor();
  await expect(s.start({ name: 'ghost', command: join(dir, 'does-not-exist'), args: [] })).rejects.toBeInstanceOf(ChildSpawnError);
});

test('exits are described in words', () => {
  expect(describeExit(2, null)).toBe('exit code 2');
  expect(describeExit(null, 'SIGKILL')).toBe('killed by SIGKILL');
});

function readFileSyncOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
