import type { DestinationStream } from 'pino';

/**
 * The human form of the log (`LOG_FORMAT=pretty`, or a terminal with `auto`): each
 * JSON line pino writes becomes one line such as
 *
 *     14:02:11 INFO  api: listening on http://127.0.0.1:3000
 *     14:02:15 WARN  api: POST /api/tasks/…/complete 409 (38 ms) route=tasks.complete user=agent
 *
 * and an error's stack on the lines below it. It formats what pino has already
 * serialized, so whatever pino redacts (tokens, cookies, query values) is redacted
 * here too. pino-pretty is not a dependency; this is the little of it we need.
 */

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLOURS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
/** pino's own fields, and the request line's, which the line's text already says. */
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'v', 'err', 'req', 'res', 'responseTime']);

const pad2 = (n: number) => String(n).padStart(2, '0');

function value(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

/** One JSON log line as a human line (with the error's stack below it); a line that is not JSON is passed through. */
export function formatLogLine(line: string, colours = false): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  if (entry === null || typeof entry !== 'object') return `${line.trimEnd()}\n`;
  const at = new Date(typeof entry.time === 'number' ? entry.time : Date.now());
  const time = `${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}`;
  const levelNumber = typeof entry.level === 'number' ? entry.level : 30;
  const levelName = (LEVELS[levelNumber] ?? String(entry.level)).padEnd(5);
  const level = colours ? `\u001b[${COLOURS[levelNumber] ?? '0'}m${levelName}\u001b[0m` : levelName;
  const msg = typeof entry.msg === 'string' ? entry.msg : '';
  const name = typeof entry.name === 'string' ? entry.name : '';
  // Our messages start with their process's name already (`api: listening on …`).
  const prefix = name && !msg.startsWith(`${name}:`) ? `${name}: ` : '';
  const parts = [`${time} ${level} ${prefix}${msg}`];
  if (typeof entry.responseTime === 'number') parts.push(`(${Math.round(entry.responseTime)} ms)`);
  for (const [key, v] of Object.entries(entry)) {
    if (OMITTED.has(key) || v === undefined || v === null) continue;
    parts.push(`${key}=${value(v)}`);
  }
  let out = `${parts.join(' ')}\n`;
  const err = entry.err as { stack?: unknown; message?: unknown } | undefined;
  if (err && typeof err === 'object') {
    const text = typeof err.stack === 'string' ? err.stack : typeof err.message === 'string' ? err.message : JSON.stringify(err);
    out += `${text
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n`;
  }
  return out;
}

/** A pino destination writing the human form of each line to `out` (stdout by default). */
export function prettyDestination(out: { write(text: string): unknown } = process.stdout, colours = false): DestinationStream {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line.trim()) out.write(formatLogLine(line, colours));
    },
  };
}
