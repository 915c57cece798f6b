import { addDuration, checkpoints, DEFAULT_CALENDAR, isWorkingDay } from '../../workflows/deadlines';

const at = (iso: string) => new Date(iso).getTime();

describe('addDuration', () => {
  test('adds clock units as elapsed time', () => {
    expect(addDuration(at('2026-11-27T01:00:00Z'), { hours: 2, minutes: 30, seconds: 5 }, DEFAULT_CALENDAR)).toBe(
      at('2026-11-27T03:30:05Z'),
    );
    expect(addDuration(at('2026-11-27T01:00:00Z'), { days: 3 }, DEFAULT_CALENDAR)).toBe(at('2026-11-30T01:00:00Z'));
  });

  test('working days skip the weekend in the calendar time zone', () => {
    // Friday 10:00 in Beijing (02:00 UTC) + 1 working day = Monday 10:00.
    expect(addDuration(at('2026-11-27T02:00:00Z'), { workingDays: 1 }, DEFAULT_CALENDAR)).toBe(at('2026-11-30T02:00:00Z'));
    // Thursday + 2 working days = Monday.
    expect(addDuration(at('2026-11-26T02:00:00Z'), { workingDays: 2 }, DEFAULT_CALENDAR)).toBe(at('2026-11-30T02:00:00Z'));
  });

  test('the time zone decides which day it is', () => {
    // Friday 20:00 UTC is already Saturday 04:00 in Beijing; +1 working day lands on Monday 04:00 there.
    expect(addDuration(at('2026-11-27T20:00:00Z'), { workingDays: 1 }, DEFAULT_CALENDAR)).toBe(at('2026-11-29T20:00:00Z'));
  });

  test('working days skip holidays', () => {
    const calendar = { ...DEFAULT_CALENDAR, holidays: ['2026-12-31', '2027-01-01'] };
    expect(addDuration(at('2026-12-30T02:00:00Z'), { workingDays: 1 }, calendar)).toBe(at('2027-01-04T02:00:00Z'));
  });
});

test('isWorkingDay', () => {
  expect(isWorkingDay(at('2026-11-27T02:00:00Z'), DEFAULT_CALENDAR)).toBe(true); // Friday
  expect(isWorkingDay(at('2026-11-28T02:00:00Z'), DEFAULT_CALENDAR)).toBe(false); // Saturday
  expect(isWorkingDay(at('2026-11-28T02:00:00Z'), { ...DEFAULT_CALENDAR, weekendDays: [0] })).toBe(true);
});

describe('checkpoints', () => {
  test('reminders and escalations in time order, as fractions of the allowed time', () => {
    const points = checkpoints(0, 100, {
      remindAt: [0.5, 0.9],
      escalate: [
        { atFraction: 1, toRole: 'gm' },
        { atFraction: 1.5, toRole: 'management' },
      ],
    });
    expect(points).toEqual([
      { kind: 'remind', at: 50, index: 0 },
      { kind: 'remind', at: 90, index: 1 },
      { kind: 'escalate', at: 100, level: 1, toRole: 'gm' },
      { kind: 'escalate', at: 150, level: 2, toRole: 'management' },
    ]);
  });

  test('no policy, no checkpoints', () => {
    expect(checkpoints(0, 100, undefined)).toEqual([]);
  });
});
