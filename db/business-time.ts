import type { Db } from './client';

// The business time zone as the database holds it (settings key `businessTimeZone`,
// read by SQL through `business_time_zone()`): one source for "today" and for the
// business day of an instant, so that code and the rollups' SQL never disagree.

/** The organisation's business time zone (an IANA name). */
export async function businessTimeZone(db: Db): Promise<string> {
  const [row] = await db.$queryRaw<{ zone: string }[]>`SELECT business_time_zone() AS zone`;
  return row!.zone;
}

/** Today's date (`YYYY-MM-DD`) in the business time zone. */
export async function businessToday(db: Db): Promise<string> {
  const [row] = await db.$queryRaw<{ day: string }[]>`SELECT to_char(now() AT TIME ZONE business_time_zone(), 'YYYY-MM-DD') AS day`;
  return row!.day;
}
