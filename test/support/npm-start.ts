import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { groupAlive } from '../../scripts/supervisor';
import { eventually } from './system';
import { readTestEnv } from './test-env';

/** The repository root, where `npm start` runs. */
export const ROOT = join(__dirname, '..', '..');

/** The ports an `npm start` of a test listens on: the API, the Temporal dev server and its UI. */
export interface StartPorts {
  api: number;
  temporal: number;
  ui: number;
}

/**
 * The environment of an `npm start` under test: its data folder and ports, the
 * tests' Temporal CLI, a dev server of its own (`TEMPORAL_ADDRESS` unset), and
 * `extra` on top (`DATABASE_URL: ''` means the embedded database).
 */
export function npmStartEnv(dataDir: string, ports: StartPorts, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(ports.api),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
    TEMPORAL_CLI_PATH: readTestEnv().temporalCliPath,
    TEMPORAL_ADDRESS: '',
    ...extra,
  };
}

/** An `npm start` a test ran: its process and everything it printed so far. */
export interface Started {
  child: ChildProcess;
  output: () => string;
}

/**
 * Runs `npm start` in a process group of its own, as a terminal gives it, with
 * `env` as its whole environment; its output is collected for {@link pidOf}.
 */
export function npmStart(env: NodeJS.ProcessEnv): Started {
  let output = '';
  const child = spawn('npm', ['start'], { cwd: ROOT, detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

/** The pid the supervisor last reported for a child (`worker`, `api`, `temporal`, `postgres`). */
export function pidOf(output: string, name: string): number {
  const all = [...output.matchAll(new RegExp(`supervisor: ${name} started \\(pid (\\d+)\\)`, 'g'))];
  if (!all.length) throw new Error(`no ${name} started in:\n${output}`);
  return Number(all[all.length - 1]![1]);
}

/** `npm start` and every child the supervisor ever reported: each leads a process group. */
function processGroups({ child, output }: Started): number[] {
  return [child.pid!, ...[...output().matchAll(/supervisor: \S+ started \(pid (\d+)\)/g)].map((m) => Number(m[1]))];
}

/** Ends a run and all its children at once with SIGKILL (a test's last resort, in `afterAll`). */
export function killEverything(run: Started): void {
  for (const pid of processGroups(run)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/**
 * Kills one supervised child outright (`kill -9`) and waits until the supervisor
 * has started a new one. Resolves with the new pid.
 */
export async function killChild({ output }: Started, name: string, timeoutMs = 30_000): Promise<number> {
  const old = pidOf(output(), name);
  process.kill(old, 'SIGKILL');
  return eventually(
    async () => {
      const now = pidOf(output(), name);
      return now !== old ? now : undefined;
    },
    timeoutMs,
    `the supervisor to start a new ${name} after pid ${old}`,
  );
}

/** Presses Ctrl-C: SIGINT to the whole process group. Resolves with how long until nothing of it, or its children, is left. */
export async function ctrlC(run: Started): Promise<number> {
  const { child, output } = run;
  const children = ['postgres', 'temporal', 'worker', 'api']
    .filter((n) => output().includes(`supervisor: ${n} started`))
    .map((n) => pidOf(output(), n));
  const pressed = Date.now();
  process.kill(-child.pid!, 'SIGINT');
  await eventually(
    async () => ([child.pid!, ...children].some((pid) => groupAlive(pid)) ? undefined : true),
    30_000,
    'npm start and every child process group to exit',
  ).catch((err: Error) => {
    const ps = spawnSync('ps', ['-eo', 'pid,pgid,stat,args'], { encoding: 'utf8' }).stdout;
    const left = ps.split('\n').filter((l) => [child.pid!, ...children].includes(Number(l.trim().split(/\s+/)[1])));
    throw new Error(`${err.message}\nstill there:\n${left.join('\n')}\noutput:\n${output()}`);
  });
  return Date.now() - pressed;
}

/** The API's `/health` answer when it is 200, else undefined (down, degraded, not listening). */
export async function healthOk(apiUrl: string): Promise<any> {
  const res = await fetch(`${apiUrl}/health`).catch(() => undefined);
  return res?.status === 200 ? res.json() : undefined;
}

/** Waits until the run's API answers health 200; fails early if `npm start` exited. */
export async function healthy(run: Started, apiUrl: string, timeoutMs = 180_000): Promise<any> {
  return eventually(
    async () => {
      if (run.child.exitCode !== null) throw new Error(`npm start exited with ${run.child.exitCode}`);
      return healthOk(apiUrl);
    },
    timeoutMs,
    'health of npm start',
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${run.output()}`);
  });
}
