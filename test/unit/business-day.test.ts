import { businessDate, businessDayStart } from '../../domain/business-time';

// The instant a business day begins, for a list's from/to in the office's zone.

test.each([
  ['Asia/Shanghai', '2026-10-01', '2026-09-30T16:00:00.000Z'],
  ['UTC', '2026-10-01', '2026-10-01T00:00:00.000Z'],
  // New York springs forward at 02:00 on 2026-03-08: that day still starts at 05:00Z (EST).
  ['America/New_York', '2026-03-08', '2026-03-08T05:00:00.000Z'],
  ['America/New_York', '2026-03-09', '2026-03-09T04:00:00.000Z'],
  ['Asia/Kolkata', '2026-01-01', '2025-12-31T18:30:00.000Z'],
])('%s: %s begins at %s', (zone, day, iso) => {
  const start = businessDayStart(day, zone);
  expect(start.toISOString()).toBe(iso);
  expect(businessDate(start, zone)).toBe(day);
  expect(businessDate(new Date(start.getTime() - 1), zone)).not.toBe(day);
});
