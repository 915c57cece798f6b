import type { DurationSpec, WorkingCalendar } from '../definitions/types';

// Pure date arithmetic, safe in the workflow sandbox (no I/O, no wall clock: callers
// pass the workflow's own `Date.now()`), and unit-tested on its own.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The calendar used when settings do not give one: Saturday and Sunday off, UTC+8. */
export const DEFAULT_CALENDAR: WorkingCalendar = { weekendDays: [0, 6], holidays: [], utcOffsetMinutes: 480 };

/**
 * The instant `duration` after `from` (epoch ms). Clock units are added as elapsed
 * time; `workingDays` then moves forward one working day at a time (skipping
 * weekends and holidays of `calendar`), keeping the time of day.
 */
export function addDuration(from: number, duration: DurationSpec, calendar: WorkingCalendar): number {
  let at =
    from + (duration.seconds ?? 0) * 1000 + (duration.minutes ?? 0) * MINUTE + (duration.hours ?? 0) * HOUR + (duration.days ?? 0) * DAY;
  for (let left = duration.workingDays ?? 0; left > 0;) {
    at += DAY;
    if (isWorkingDay(at, calendar)) left -= 1;
  }
  return at;
}

/**
 * Whether the local date of `at` in the calendar's time zone is a working day: an
 * extra working day (a make-up weekend day) is; otherwise neither a weekend day
 * nor a holiday is.
 */
export function isWorkingDay(at: number, calendar: WorkingCalendar): boolean {
  const local = new Date(at + calendar.utcOffsetMinutes * MINUTE);
  const date = local.toISOString().slice(0, 10);
  if (calendar.extraWorkingDays?.includes(date)) return true;
  if (calendar.weekendDays.includes(local.getUTCDay())) return false;
  return !calendar.holidays.includes(date);
}

/** A point in a human step's allowed time at which the system acts. */
export type Checkpoint = { kind: 'remind'; at: number; index: number } | { kind: 'escalate'; at: number; level: number; toRole: string };

/**
 * The reminders and escalations of a step whose allowed time runs from
 * `startedAt` to `dueAt`, in time order. Fractions are of the allowed time, so
 * 1 is the due time and 2 is as long again past it.
 */
export function checkpoints(
  startedAt: number,
  dueAt: number,
  policy: { remindAt?: number[]; escalate?: { atFraction: number; toRole: string }[] } | undefined,
): Checkpoint[] {
  const allowed = dueAt - startedAt;
  const points: Checkpoint[] = [
    ...(policy?.remindAt ?? []).map((f, index) => ({ kind: 'remind' as const, at: startedAt + f * allowed, index })),
    ...(policy?.escalate ?? []).map((l, i) => ({
      kind: 'escalate' as const,
      at: startedAt + l.atFraction * allowed,
      level: i + 1,
      toRole: l.toRole,
    })),
  ];
  // A stable sort keeps a reminder before an escalation due at the same instant.
  return points.sort((a, b) => a.at - b.at);
}
