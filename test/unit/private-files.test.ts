import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateDir, privateSqlite, withPrivateUmask } from '../../scripts/private-files';

// Backups and the Temporal store hold personal data: owner-only, whatever the umask
// of the shell that started `npm start` or `npm run backup`.

const mode = (path: string) => statSync(path).mode & 0o777;
let root: string;
let umask: number;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'private-files-'));
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(root, { recursive: true, force: true });
});

test('a folder is made 0700, and an existing 0755 one is tightened', () => {
  const existing = join(root, 'existing');
  mkdirSync(existing, { mode: 0o755 });
  privateDir(existing);
  privateDir(join(root, 'new', 'nested'));
  expect(mode(existing)).toBe(0o700);
  expect(mode(join(root, 'new', 'nested'))).toBe(0o700);
});

test('a SQLite store and its -wal, -shm and -journal files become 0600; missing ones are skipped', () => {
  const db = join(root, 'temporal.db');
  for (const f of [db, `${db}-wal`, `${db}-shm`]) writeFileSync(f, '', { mode: 0o644 });
  privateSqlite(db);
  expect([db, `${db}-wal`, `${db}-shm`].map(mode)).toEqual([0o600, 0o600, 0o600]);
});

test('children spawned under the private umask (sqlite3 in WAL mode) create owner-only files', async () => {
  const db = join(root, 'store.db');
  await withPrivateUmask(async () => {
    // The -wal and -shm files exist while a connection is open: listed from inside one.
    const sql = 'PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);';
    const run = spawnSync('sqlite3', [db, sql, `.shell stat -c 'mode=%a %n' ${db}*`], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const modes = run.stdout.split('\n').filter((l) => l.startsWith('mode='));
    expect(modes).toEqual([`mode=600 ${db}`, `mode=600 ${db}-shm`, `mode=600 ${db}-wal`]);
  });
  expect(mode(db)).toBe(0o600);
  // The umask is restored afterwards.
  writeFileSync(join(root, 'after'), '');
  expect(mode(join(root, 'after'))).toBe(0o644);
});
