import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time by part of the system (Linux /proc): which process a benchmark's
 * instances spend their CPU in. A part is one process alone, one process with all
 * its descendants (the Temporal CLI may run the server as a child), or every
 * process of one name (Postgres' backends). Read before and after a run; the difference
 * divided by the instances done is the CPU each instance costs in each part.
 */
export type Part = { process: number } | { tree: number } | { command: string };

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  pid: number;
  ppid: number;
  command: string;
  cpuMs: number;
  /** CPU of its children that have ended (and been waited for). */
  endedChildrenMs: number;
}

function readAll(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // ended between the listing and the read
    }
    // The command is in parentheses and may hold spaces; the fields after it are fixed.
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ');
    // After the command, counted from state = 0: ppid 1, utime 11, stime 12, cutime 13, cstime 14.
    const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
    stats.push({
      pid: Number(name),
      ppid: Number(fields[1]),
      command: text.slice(open + 1, close),
      cpuMs: ms(Number(fields[11]) + Number(fields[12])),
      endedChildrenMs: ms(Number(fields[13]) + Number(fields[14])),
    });
  }
  return stats;
}

/** CPU milliseconds used so far by each part. */
export function cpuByPart(parts: Record<string, Part>): Record<string, number> {
  const all = readAll();
  const children = new Map<number, ProcStat[]>();
  for (const s of all) {
    const siblings = children.get(s.ppid);
    if (siblings) siblings.push(s);
    else children.set(s.ppid, [s]);
  }
  const byPid = new Map(all.map((s) => [s.pid, s]));
  const tree = (pid: number): number =>
    (byPid.get(pid)?.cpuMs ?? 0) + (children.get(pid) ?? []).reduce((sum, child) => sum + tree(child.pid), 0);
  const result: Record<string, number> = {};
  for (const [name, part] of Object.entries(parts)) {
    result[name] =
      'process' in part ? (byPid.get(part.process)?.cpuMs ?? 0) : 'tree' in part ? tree(part.tree) : commandCpu(all, byPid, part.command);
  }
  return result;
}

/**
 * Every process named `command`, and the ended children of the topmost ones: a
 * Postgres backend that ends between two readings moves its CPU to the postmaster.
 */
function commandCpu(all: ProcStat[], byPid: Map<number, ProcStat>, command: string): number {
  return all
    .filter((s) => s.command === command)
    .reduce((sum, s) => sum + s.cpuMs + (byPid.get(s.ppid)?.command === command ? 0 : s.endedChildrenMs), 0);
}

/** Per-part CPU between two readings, per instance. */
export function perInstance(before: Record<string, number>, after: Record<string, number>, instances: number): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((k) => [k, (after[k]! - (before[k] ?? 0)) / Math.max(1, instances)]));
}

/** One line: each part's CPU ms per instance and the sum. */
export function formatCpu(cpu: Record<string, number>): string {
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  return `${Object.entries(cpu)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join('  ')}  = ${total.toFixed(1)} ms CPU`;
}
