/**
 * Per-user notification preferences and the clock arithmetic they need (pure, so
 * it is unit-tested without a database).
 */

/**
 * The channels a user can choose. An SMS channel would be one more name here and one
 * more class behind `NotificationChannel` (see `channels/index.ts`).
 */
export const USER_CHANNELS = ['in_app', 'email'] as const;
/** One of {@link USER_CHANNELS}. */
export type UserChannel = (typeof USER_CHANNELS)[number];

/** A user's preferences as the dispatcher uses them. */
export interface Preferences {
  channels: string[];
  quietStart: string | null;
  quietEnd: string | null;
  timeZone: string;
  digest: boolean;
  digestTime: string;
}

/** What a user gets before choosing anything: in-app and e-mail, no quiet hours, no digest. */
export const DEFAULT_PREFERENCES: Preferences = {
  channels: ['in_app', 'email'],
  quietStart: null,
  quietEnd: null,
  timeZone: 'Asia/Shanghai',
  digest: false,
  digestTime: '18:00',
};

/** "HH:MM" (24-hour). */
export const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

const minutesOf = (hm: string): number => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/** Minutes since local midnight of `at` in `timeZone`. */
export function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/** Whether `timeZone` is one `Intl` knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const startOfMinute = (at: Date): number => at.getTime() - (at.getTime() % 60_000);

/**
 * When the quiet hours around `now` end, or `null` when `now` is not in them.
 * A window may span midnight (22:00–08:00).
 */
export function quietUntil(now: Date, p: Pick<Preferences, 'quietStart' | 'quietEnd' | 'timeZone'>): Date | null {
  if (!p.quietStart || !p.quietEnd || p.quietStart === p.quietEnd) return null;
  const start = minutesOf(p.quietStart);
  const end = minutesOf(p.quietEnd);
  const m = localMinutes(now, p.timeZone);
  const inside = start < end ? m >= start && m < end : m >= start || m < end;
  if (!inside) return null;
  return new Date(startOfMinute(now) + ((end - m + 1440) % 1440) * 60_000);
}

/** The next daily digest time at or after `now` (the current minute counts). */
export function nextDigestAt(now: Date, p: Pick<Preferences, 'digestTime' | 'timeZone'>): Date {
  const m = localMinutes(now, p.timeZone);
  return new Date(startOfMinute(now) + ((minutesOf(p.digestTime) - m + 1440) % 1440) * 60_000);
}
