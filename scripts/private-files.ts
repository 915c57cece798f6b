import { chmodSync, existsSync, mkdirSync } from 'node:fs';

// What the system keeps on disk is personal data: the database dump in a backup
// (phones, password hashes), the Temporal store (workflow inputs with unmasked
// phones and ID numbers). Owner-only, whatever the umask of the shell that ran it.

/**
 * Owner-only access to a folder: created 0700, and an existing one tightened to it.
 * `0o711` lets other users pass through without listing or reading anything (see
 * scripts/start.ts: the embedded Postgres's own user, as root).
 */
export function privateDir(path: string, mode: 0o700 | 0o711 = 0o700): void {
  mkdirSync(path, { recursive: true, mode });
  chmodSync(path, mode);
}

/** Owner-only access (0600) to each of the files that exists. */
export function privateFiles(...paths: string[]): void {
  for (const path of paths) if (existsSync(path)) chmodSync(path, 0o600);
}

/** A SQLite database and its companions (write-ahead log, shared memory, journal), owner-only. */
export function privateSqlite(dbFile: string): void {
  privateFiles(dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`);
}

/**
 * Runs `fn` with the process's umask at 077, so that every file it and the children
 * it spawns (pg_dump, sqlite3, tar) create is owner-only from the first byte: a
 * chmod afterwards would leave a window in which another user could open it.
 */
export async function withPrivateUmask<T>(fn: () => Promise<T>): Promise<T> {
  const before = process.umask(0o077);
  try {
    return await fn();
  } finally {
    process.umask(before);
  }
}
