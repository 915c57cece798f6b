import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** What the supervisor runs and how it stops it. */
export interface ChildSpec {
  /** Short name used in log lines (`worker`, `api`, `temporal`, `postgres`). */
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user (only root may); used for Postgres, which refuses to run as root. */
  uid?: number;
  gid?: number;
  /** Append the child's stdout and stderr to this file instead of the supervisor's own. */
  logFile?: string;
  /**
   * The signal that asks the child to stop gracefully. Postgres wants SIGINT (fast
   * shutdown: SIGTERM would wait for every client to disconnect).
   */
  stopSignal?: NodeJS.Signals;
  /**
   * Lower stops first. The applications (API, worker) stop before the servers they
   * use, so that they can finish their work and close their connections cleanly.
   */
  stopOrder?: number;
}

/** Timing of restarts and stops; the defaults suit `npm start`. */
export interface SupervisorOptions {
  /** First restart delay; doubles on every crash in a row. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A child that ran this long before crashing starts again from the initial delay. */
  stableAfterMs?: number;
  /** Everything has exited (SIGKILL included) within this long of {@link Supervisor.stop}. */
  stopTimeoutMs?: number;
  log?: (line: string) => void;
}

/** One exit of a supervised child, as reported to {@link Supervisor.onExit} listeners. */
export interface ChildExit {
  name: string;
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Whether the supervisor will start it again (false while stopping). */
  restarting: boolean;
}

/** Raised when a child cannot be spawned at all (missing executable, bad cwd). */
export class ChildSpawnError extends Error {
  constructor(
    readonly childName: string,
    options: { cause: unknown },
  ) {
    super(`${childName} could not be started: ${(options.cause as Error).message}`, options);
    this.name = 'ChildSpawnError';
  }
}

interface Entry {
  spec: ChildSpec;
  child?: ChildProcess;
  startedAt: number;
  failures: number;
  restartTimer?: NodeJS.Timeout;
  exited?: Promise<void>;
}

/** Exit code or signal in the words a log reader expects. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/** Sends `signal` to a whole process group; a group that is already gone is not an error. */
function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process of the group led by `pid` is still alive. */
export function groupAlive(pid: number): boolean {
  return killGroup(pid, 0 as unknown as NodeJS.Signals);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A small process manager for `npm start`. Every child runs in its own process
 * group (`detached`), so that stopping it also stops whatever it started itself (a
 * tsx wrapper's real node process, the Temporal CLI's helpers) and nothing is left
 * orphaned. A child that exits unexpectedly is restarted with exponential backoff;
 * {@link stop} ends everything within a hard deadline, SIGKILL included.
 */
export class Supervisor {
  private readonly entries = new Map<string, Entry>();
  private stopping = false;
  private readonly listeners: ((exit: ChildExit) => void)[] = [];
  private readonly opts: Required<SupervisorOptions>;

  constructor(options: SupervisorOptions = {}) {
    this.opts = {
      initialBackoffMs: 500,
      maxBackoffMs: 30_000,
      stableAfterMs: 10_000,
      stopTimeoutMs: 9_000,
      log: (line) => console.log(line),
      ...options,
    };
  }

  /** Starts a child under supervision. Throws {@link ChildSpawnError} if it cannot be spawned. */
  async start(spec: ChildSpec): Promise<ChildProcess> {
    if (this.entries.has(spec.name)) throw new Error(`A child named ${spec.name} is already supervised`);
    const entry: Entry = { spec, startedAt: 0, failures: 0 };
    this.entries.set(spec.name, entry);
    try {
      return await this.spawn(entry);
    } catch (err) {
      this.entries.delete(spec.name);
      throw err;
    }
  }

  /** The current process of a child, if it is running. */
  pid(name: string): number | undefined {
    return this.entries.get(name)?.child?.pid;
  }

  /** Called on every exit of a child, expected or not. */
  onExit(listener: (exit: ChildExit) => void): void {
    this.listeners.push(listener);
  }

  private spawn(entry: Entry): Promise<ChildProcess> {
    const { spec } = entry;
    const logFd = spec.logFile ? openSync(spec.logFile, 'a') : undefined;
    const stdio: StdioOptions = logFd === undefined ? ['ignore', 'inherit', 'inherit'] : ['ignore', logFd, logFd];
    return new Promise<ChildProcess>((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(spec.command, [...spec.args], {
          env: spec.env,
          cwd: spec.cwd,
          uid: spec.uid,
          gid: spec.gid,
          stdio,
          // Its own process group: the whole tree can be signalled with kill(-pid).
          detached: true,
        });
      } catch (err) {
        reject(new ChildSpawnError(spec.name, { cause: err }));
        return;
      } finally {
        // The child has its own copy of the descriptor.
        if (logFd !== undefined) closeSync(logFd);
      }
      child.once('error', (err) => reject(new ChildSpawnError(spec.name, { cause: err })));
      child.once('spawn', () => {
        entry.child = child;
        entry.startedAt = Date.now();
        entry.exited = new Promise((done) =>
          child.once('exit', (code, signal) => {
            this.handleExit(entry, child, code, signal);
            done();
          }),
        );
        this.opts.log(`supervisor: ${spec.name} started (pid ${child.pid})`);
        resolve(child);
      });
    });
  }

  private handleExit(entry: Entry, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    const pid = child.pid!;
    // The leader is gone, but what it started may not be (tsx's real node process,
    // a helper of the Temporal CLI): take the rest of its group down with it.
    killGroup(pid, 'SIGKILL');
    if (entry.child === child) entry.child = undefined;
    const restarting = !this.stopping;
    for (const listener of this.listeners) listener({ name: entry.spec.name, pid, code, signal, restarting });
    if (!restarting) {
      this.opts.log(`supervisor: ${entry.spec.name} (pid ${pid}) stopped, ${describeExit(code, signal)}`);
      return;
    }
    this.scheduleRestart(entry, `(pid ${pid}) ${describeExit(code, signal)}`);
  }

  private scheduleRestart(entry: Entry, reason: string): void {
    // A child that stayed up a while had a one-off crash, not a crash loop.
    if (Date.now() - entry.startedAt >= this.opts.stableAfterMs) entry.failures = 0;
    const delay = Math.min(this.opts.initialBackoffMs * 2 ** entry.failures, this.opts.maxBackoffMs);
    entry.failures += 1;
    this.opts.log(`supervisor: ${entry.spec.name} ${reason}; restarting in ${delay} ms`);
    entry.restartTimer = setTimeout(() => {
      entry.restartTimer = undefined;
      if (this.stopping) return;
      // Could not even spawn (executable gone, cwd removed): try again, later each time.
      this.spawn(entry).catch((err: unknown) => {
        const cause = (err as Error).cause as Error | undefined;
        this.scheduleRestart(entry, `could not be started (${cause?.message ?? (err as Error).message})`);
      });
    }, delay);
  }

  /**
   * Stops every child: the graceful signal by stop order (applications before the
   * servers they use), then SIGKILL to whatever is left at the deadline. Resolves
   * once every process group is gone.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const deadline = Date.now() + this.opts.stopTimeoutMs;
    for (const entry of this.entries.values()) clearTimeout(entry.restartTimer);
    const orders = [...new Set([...this.entries.values()].map((e) => e.spec.stopOrder ?? 0))].sort((a, b) => a - b);
    for (const [i, order] of orders.entries()) {
      const wave = [...this.entries.values()].filter((e) => (e.spec.stopOrder ?? 0) === order && e.child);
      // Each wave may use its share of what is left, so a slow first wave cannot
      // starve the servers of their chance to shut down cleanly.
      const waveDeadline = Date.now() + (deadline - Date.now()) / (orders.length - i);
      await Promise.all(wave.map((e) => this.stopOne(e, waveDeadline)));
    }
  }

  private async stopOne(entry: Entry, deadline: number): Promise<void> {
    const child = entry.child;
    if (!child?.pid) return;
    const pid = child.pid;
    const signal = entry.spec.stopSignal ?? 'SIGTERM';
    killGroup(pid, signal);
    const timer = setTimeout(
      () => {
        this.opts.log(`supervisor: ${entry.spec.name} did not stop in time; killing it`);
        killGroup(pid, 'SIGKILL');
      },
      Math.max(0, deadline - Date.now()),
    );
    await entry.exited;
    clearTimeout(timer);
    // The leader exited; make sure its group did too before the next wave starts.
    while (groupAlive(pid) && Date.now() < deadline + 1000) {
      killGroup(pid, 'SIGKILL');
      await sleep(50);
    }
  }
}
