import { localizeTable, tableToCsv } from '../../api/services/analytics-export';
import { forecastSales, funnel, leastSquares, ratio, reportPeriods } from '../../domain';

// The analytics arithmetic alone: conversion rates, report periods, the least-squares
// line and the forecast, against values worked out by hand.

test('the funnel converts each stage from the one before and from the first', () => {
  expect(funnel({ visits: 200, registrations: 150, intents: 60, subscriptions: 20, contracts: 15, paid: 0 })).toEqual([
    { stage: 'visits', count: 200, rate: null, overall: null },
    { stage: 'registrations', count: 150, rate: 0.75, overall: 0.75 },
    { stage: 'intents', count: 60, rate: 0.4, overall: 0.3 },
    { stage: 'subscriptions', count: 20, rate: 0.3333, overall: 0.1 },
    { stage: 'contracts', count: 15, rate: 0.75, overall: 0.075 },
    { stage: 'paid', count: 0, rate: 0, overall: 0 },
  ]);
  expect(ratio(1, 0)).toBeNull();
});

test('report periods: the day, the ISO week from Monday, the month, and the ones before', () => {
  expect(reportPeriods('daily', '2026-03-01')).toEqual({
    period: { from: '2026-03-01', to: '2026-03-01' },
    previous: { from: '2026-02-28', to: '2026-02-28' },
  });
  // 2026-11-26 is a Thursday.
  expect(reportPeriods('weekly', '2026-11-26')).toEqual({
    period: { from: '2026-11-23', to: '2026-11-29' },
    previous: { from: '2026-11-16', to: '2026-11-22' },
  });
  expect(reportPeriods('weekly', '2026-11-29').period.from).toBe('2026-11-23');
  expect(reportPeriods('monthly', '2026-01-31')).toEqual({
    period: { from: '2026-01-01', to: '2026-01-31' },
    previous: { from: '2025-12-01', to: '2025-12-31' },
  });
  // 季报 and 年报: the calendar quarter and year, and the ones before (across the year's turn).
  expect(reportPeriods('quarterly', '2026-02-14')).toEqual({
    period: { from: '2026-01-01', to: '2026-03-31' },
    previous: { from: '2025-10-01', to: '2025-12-31' },
  });
  expect(reportPeriods('quarterly', '2026-12-31')).toEqual({
    period: { from: '2026-10-01', to: '2026-12-31' },
    previous: { from: '2026-07-01', to: '2026-09-30' },
  });
  expect(reportPeriods('yearly', '2026-06-30')).toEqual({
    period: { from: '2026-01-01', to: '2026-12-31' },
    previous: { from: '2025-01-01', to: '2025-12-31' },
  });
});

test('least squares finds the line, and the spread of its slope', () => {
  const exact = leastSquares([1, 2, 3, 4].map((x) => ({ x, y: 3 + 2 * x })))!;
  expect(exact.slope).toBeCloseTo(2, 10);
  expect(exact.intercept).toBeCloseTo(3, 10);
  expect(exact.slopeError).toBeCloseTo(0, 10);
  // y = 0, 2, 2, 4 on x = 0..3: slope 1.2, intercept 0.2; residuals −0.2, 0.6, −0.6, 0.2;
  // SSE 0.8, Sxx 5: slope error √(0.8 / 2 / 5) = √0.08.
  const noisy = leastSquares([0, 2, 2, 4].map((y, x) => ({ x, y })))!;
  expect(noisy.slope).toBeCloseTo(1.2, 10);
  expect(noisy.intercept).toBeCloseTo(0.2, 10);
  expect(noisy.slopeError).toBeCloseTo(Math.sqrt(0.08), 10);
  expect(leastSquares([{ x: 1, y: 1 }])).toBeNull();
});

test('the forecast: sell-out date and period amount from a linear series, a range from a noisy one', () => {
  const linear = forecastSales({
    weekly: Array.from({ length: 6 }, () => ({ units: 5, amount: 5_000_000 })),
    remainingUnits: 50,
    today: '2026-03-02',
    period: { from: '2026-03-01', to: '2026-03-31' },
    signedInPeriod: 1_000_000,
  });
  expect(linear.rate.units).toEqual({ expected: 5, low: 5, high: 5 });
  // 50 units at 5 a week: ten weeks, 70 days after 2 March.
  expect(linear.sellOut).toEqual({ expected: '2026-05-11', earliest: '2026-05-11', latest: '2026-05-11' });
  // 29 days left in March at 5,000,000 a week, on top of the 1,000,000 signed.
  expect(linear.period.amount.expected).toBeCloseTo(1_000_000 + (5_000_000 * 29) / 7, 2);

  // Cumulative 2, 4, 4, 6 (weekly 2, 2, 0, 2): slope 1.2 ± 2·√0.08.
  const noisy = forecastSales({
    weekly: [2, 2, 0, 2].map((units) => ({ units, amount: units * 1_000_000 })),
    remainingUnits: 12,
    today: '2026-03-02',
    period: { from: '2026-03-01', to: '2026-03-31' },
    signedInPeriod: 0,
  });
  expect(noisy.rate.units.expected).toBe(1.2);
  expect(noisy.rate.units.low).toBeCloseTo(1.2 - 2 * Math.sqrt(0.08), 2);
  expect(noisy.rate.units.high).toBeCloseTo(1.2 + 2 * Math.sqrt(0.08), 2);
  // 12 units at 1.2 a week: 70 days; the earliest at the high rate is sooner, the latest later.
  expect(noisy.sellOut.expected).toBe('2026-05-11');
  expect(noisy.sellOut.earliest! < noisy.sellOut.expected!).toBe(true);
  expect(noisy.sellOut.latest! > noisy.sellOut.expected!).toBe(true);

  // No sales: no sell-out date; nothing left: sold out today.
  const none = forecastSales({
    weekly: [
      { units: 0, amount: 0 },
      { units: 0, amount: 0 },
    ],
    remainingUnits: 3,
    today: '2026-03-02',
    period: { from: '2026-03-01', to: '2026-03-31' },
    signedInPeriod: 0,
  });
  expect(none.sellOut.expected).toBeNull();
  expect(
    forecastSales({
      weekly: [],
      remainingUnits: 0,
      today: '2026-03-02',
      period: { from: '2026-03-01', to: '2026-03-31' },
      signedInPeriod: 0,
    }).sellOut.expected,
  ).toBe('2026-03-02');
});

test('CSV: quoted where needed, formulas defused, a BOM for spreadsheets', () => {
  const csv = tableToCsv({
    name: 't',
    columns: ['name', 'n'],
    rows: [
      ['a,b', 1],
      ['=SUM(A1)', null],
      ['说"明"', -2],
    ],
  });
  expect(csv).toBe('\uFEFFname,n\r\n"a,b",1\r\n\'=SUM(A1),\r\n"说""明""",-2\r\n');
});

test('an export in a language: headers and the funnel stages named, figures unchanged; without one, keys', () => {
  const funnelTable = {
    name: 'funnel',
    columns: ['stage', 'count', 'rate', 'overall'],
    rows: [
      ['visits', 10, null, null],
      ['contracts', 2, 0.5, 0.2],
    ],
  };
  expect(localizeTable(funnelTable, 'zh-CN')).toEqual({
    name: 'funnel',
    columns: ['环节', '数量', '环节转化率', '到访转化率'],
    rows: [
      ['到访', 10, null, null],
      ['签约', 2, 0.5, 0.2],
    ],
  });
  expect(localizeTable(funnelTable, 'en').columns).toEqual(['Stage', 'Count', 'From the stage before', 'From visits']);
  expect(localizeTable(funnelTable, undefined)).toBe(funnelTable);
  // Only the funnel's stage column holds words; another table's values stay as they are.
  const layouts = { name: 'layouts', columns: ['layout', 'units', 'unknownColumn'], rows: [['visits', 3, 1]] };
  expect(localizeTable(layouts, 'zh-CN')).toEqual({
    name: 'layouts',
    columns: ['户型', '总套数', 'unknownColumn'],
    rows: [['visits', 3, 1]],
  });
});
