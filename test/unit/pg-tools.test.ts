import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgToolNotFoundError, resolvePgTool, toolMajor } from '../../scripts/pg-tools';

// pg_dump refuses a server newer than itself, so the resolution is by version as much
// as by place. Fake tools (shell scripts answering --version) stand in for real ones.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pg-tools-'));
  for (const [folder, version] of [
    ['old', '15.20'],
    ['new', '18.6'],
  ] as const) {
    const bin = join(dir, folder);
    mkdirSync(bin);
    for (const tool of ['pg_dump', 'pg_restore']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} (PostgreSQL) ${version}"\n`);
      chmodSync(join(bin, tool), 0o755);
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the major version is read from --version', () => {
  expect(toolMajor(join(dir, 'old', 'pg_dump'))).toBe(15);
  expect(toolMajor(join(dir, 'new', 'pg_restore'))).toBe(18);
});

test('POSTGRES_BIN_DIR comes first when it is new enough', () => {
  expect(resolvePgTool('pg_dump', 18, { explicitDir: join(dir, 'new'), install: false })).toBe(join(dir, 'new', 'pg_dump'));
});

test('a tool older than the server is passed over for the next place', () => {
  expect(resolvePgTool('pg_restore', 18, { explicitDir: join(dir, 'old'), embeddedBinDir: join(dir, 'new'), install: false })).toBe(
    join(dir, 'new', 'pg_restore'),
  );
});

test('none new enough: a typed error naming what was tried and what to do', () => {
  let error: unknown;
  try {
    resolvePgTool('pg_dump', 99, { explicitDir: join(dir, 'old'), install: false });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(PgToolNotFoundError);
  expect((error as Error).message).toContain(`${join(dir, 'old', 'pg_dump')} (15)`);
  expect((error as Error).message).toContain('Set POSTGRES_BIN_DIR');
});
