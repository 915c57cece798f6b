import { CHINA_PUBLIC_HOLIDAYS } from '../../domain';
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

describe('the official 2026 calendar with its make-up working days (调休)', () => {
  const { holidays, extraWorkingDays } = CHINA_PUBLIC_HOLIDAYS[2026]!;
  const china2026 = { weekendDays: [0, 6], holidays: [...holidays], extraWorkingDays: [...extraWorkingDays], utcOffsetMinutes: 480 };
  const beijing = (local: string) => new Date(`${local}+08:00`).getTime();

  test('a make-up Saturday is a working day, a holiday weekday is not', () => {
    expect(isWorkingDay(beijing('2026-02-14T10:00:00'), china2026)).toBe(true); // Saturday, worked before Spring Festival
    expect(isWorkingDay(beijing('2026-02-16T10:00:00'), china2026)).toBe(false); // Monday, Spring Festival
    expect(isWorkingDay(beijing('2026-10-10T10:00:00'), china2026)).toBe(true); // Saturday after National Day
    expect(isWorkingDay(beijing('2026-10-08T10:00:00'), china2026)).toBe(true); // Thursday, back at work
    expect(isWorkingDay(beijing('2026-10-11T10:00:00'), china2026)).toBe(false); // an ordinary Sunday
  });

  test('"2 working days" is right around Spring Festival', () => {
    // Friday 13 February, 17:00: the make-up Saturday counts, then the nine days off.
    expect(addDuration(beijing('2026-02-13T17:00:00'), { workingDays: 2 }, china2026)).toBe(beijing('2026-02-24T17:00:00'));
    // Without the make-up day the same two working days end a day later.
    expect(addDuration(beijing('2026-02-13T17:00:00'), { workingDays: 2 }, { ...china2026, extraWorkingDays: [] })).toBe(
      beijing('2026-02-25T17:00:00'),
    );
  });

  test('"2 working days" is right around National Day', () => {
    // Friday 18 September: Sunday 20 is a make-up working day (the first), Monday 21 the second.
    expect(addDuration(beijing('2026-09-18T09:00:00'), { workingDays: 2 }, china2026)).toBe(beijing('2026-09-21T09:00:00'));
    // Wednesday 30 September: the holiday week, then Thursday 8 and Friday 9 October.
    expect(addDuration(beijing('2026-09-30T09:00:00'), { workingDays: 2 }, china2026)).toBe(beijing('2026-10-09T09:00:00'));
    // Friday 9 October + 1 working day: the make-up Saturday 10 October.
    expect(addDuration(beijing('2026-10-09T09:00:00'), { workingDays: 1 }, china2026)).toBe(beijing('2026-10-10T09:00:00'));
  });

  test('the schedule is consistent: make-up days are weekend days and no date is both', () => {
    for (const date of extraWorkingDays) expect([0, 6]).toContain(new Date(`${date}T12:00:00Z`).getUTCDay());
    expect(holidays.filter((d) => extraWorkingDays.includes(d))).toEqual([]);
  });
});
