// The organisation's business time zone: where its days, weeks, months, quarters and
// years begin and end (日报 covers a Beijing day, not a UTC one). Stored as the setting
// `businessTimeZone`; SQL reads it through `business_time_zone()` (see the migration
// 20261205013000_business_time_zone), code that runs outside the database through
// these helpers. Plain functions over Intl: usable in the workflow sandbox, the API
// and the browser alike.

/** The zone when none is set: China Standard Time (no daylight saving). */
export const DEFAULT_BUSINESS_TIME_ZONE = 'Asia/Shanghai';

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0 && zone.length <= 64;
  } catch {
    return false;
  }
}

/** The wall-clock fields of an instant in `zone`. */
export function zonedParts(at: Date, zone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** The business day (`YYYY-MM-DD`) an instant falls on in `zone`. */
export function businessDate(at: Date, zone: string): string {
  const p = zonedParts(at, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** Minutes `zone` is ahead of UTC at `at` (480 for Beijing), for the working calendar of a process started then. */
export function utcOffsetMinutes(at: Date, zone: string): number {
  const p = zonedParts(at, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The instant a business day (`YYYY-MM-DD`) begins in `zone`: its local midnight.
 * The offset is read at the guess and once more at the result, so a day on which a
 * daylight-saving zone changes its clock still starts at its own midnight.
 */
export function businessDayStart(day: string, zone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d);
  const guess = new Date(midnightUtc - utcOffsetMinutes(new Date(midnightUtc), zone) * 60_000);
  return new Date(midnightUtc - utcOffsetMinutes(guess, zone) * 60_000);
}
