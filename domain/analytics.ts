// The analytics vocabulary (issue 11) and its pure arithmetic: funnel stages,
// conversion rates, period boundaries and the forecast. Pure, so that the API and
// the web app's charts compute the same figures, and unit tests check them alone.

/** The sales funnel's stages, in order (到访 → 报备 → 意向 → 认购 → 签约 → 回款完成). */
export const FUNNEL_STAGES = ['visits', 'registrations', 'intents', 'subscriptions', 'contracts', 'paid'] as const;
/** One of {@link FUNNEL_STAGES}. */
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** The measures of the daily rollup, as the API names them. */
export const ANALYTICS_MEASURES = [
  'visits',
  'registrations',
  'intents',
  'followUps',
  'subscriptions',
  'subscriptionAmount',
  'contracts',
  'contractAmount',
  'paid',
  'paidAmount',
  'cancellations',
  'cancelledAmount',
  'refundAmount',
] as const;
/** One of {@link ANALYTICS_MEASURES}. */
export type AnalyticsMeasure = (typeof ANALYTICS_MEASURES)[number];
/** A value of every measure. */
export type Figures = Record<AnalyticsMeasure, number>;

/** The dimensions a breakdown groups by. */
export const ANALYTICS_DIMENSIONS = ['agent', 'channel', 'intent', 'project'] as const;
/** One of {@link ANALYTICS_DIMENSIONS}. */
export type AnalyticsDimension = (typeof ANALYTICS_DIMENSIONS)[number];

/** Trend grains. */
export const TREND_GRAINS = ['day', 'week', 'month'] as const;
/** One of {@link TREND_GRAINS}. */
export type TrendGrain = (typeof TREND_GRAINS)[number];

/** Report kinds: 日报, 周报, 月报. */
export const REPORT_KINDS = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'] as const;
/** One of {@link REPORT_KINDS}. */
export type ReportKind = (typeof REPORT_KINDS)[number];

/** `part / whole` rounded to 4 decimals, or `null` when there is no whole to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

/** One stage of a funnel with its conversion from the stage before and from the first. */
export interface FunnelStep {
  stage: FunnelStage;
  count: number;
  /** count / the previous stage's count (null for the first stage or an empty previous stage). */
  rate: number | null;
  /** count / the first stage's count. */
  overall: number | null;
}

/** The funnel of some figures. */
export function funnel(f: Pick<Figures, FunnelStage>): FunnelStep[] {
  return FUNNEL_STAGES.map((stage, i) => ({
    stage,
    count: f[stage],
    rate: i === 0 ? null : ratio(f[stage], f[FUNNEL_STAGES[i - 1]!]),
    overall: i === 0 ? null : ratio(f[stage], f[FUNNEL_STAGES[0]]),
  }));
}

const DAY = 86_400_000;
/** A `YYYY-MM-DD` date as a UTC instant. */
export const utcDate = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
/** A UTC instant's `YYYY-MM-DD`. */
export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
/** `iso` plus `days` days. */
export const addDays = (iso: string, days: number): string => isoDate(new Date(utcDate(iso).getTime() + days * DAY));

/** A period, both ends inclusive (`YYYY-MM-DD`). */
export interface Period {
  from: string;
  to: string;
}

/**
 * The report period of `kind` that contains `date`, and the one before it: the day;
 * the ISO week (Monday to Sunday); the calendar month, quarter or year. Dates are
 * business days (the organisation's time zone), as the rollups count them.
 */
export function reportPeriods(kind: ReportKind, date: string): { period: Period; previous: Period } {
  const d = utcDate(date);
  if (kind === 'daily') return { period: { from: date, to: date }, previous: { from: addDays(date, -1), to: addDays(date, -1) } };
  if (kind === 'weekly') {
    const monday = addDays(date, -((d.getUTCDay() + 6) % 7));
    return { period: { from: monday, to: addDays(monday, 6) }, previous: { from: addDays(monday, -7), to: addDays(monday, -1) } };
  }
  const first = (y: number, m: number) => isoDate(new Date(Date.UTC(y, m, 1)));
  const y = d.getUTCFullYear();
  // Months per period and the period's first month (Date.UTC carries months past 11 or below 0 into the year).
  const months = kind === 'monthly' ? 1 : kind === 'quarterly' ? 3 : 12;
  const m = Math.floor(d.getUTCMonth() / months) * months;
  return {
    period: { from: first(y, m), to: addDays(first(y, m + months), -1) },
    previous: { from: first(y, m - months), to: addDays(first(y, m), -1) },
  };
}

/** A least-squares line `y = intercept + slope·x` with the standard error of its slope. */
export interface LineFit {
  slope: number;
  intercept: number;
  slopeError: number;
  n: number;
}

/** Least squares over points `(x, y)`; at least two distinct x are needed. */
export function leastSquares(points: readonly { x: number; y: number }[]): LineFit | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) return null;
  const slope = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
  const intercept = my - slope * mx;
  const sse = points.reduce((s, p) => s + (p.y - intercept - slope * p.x) ** 2, 0);
  const slopeError = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : 0;
  return { slope, intercept, slopeError, n };
}

/** How the forecast is computed, returned with every forecast. */
export const FORECAST_METHOD =
  'Least squares over the cumulative weekly sales (signed contracts, units and amount) of the last N complete weeks: ' +
  'the slope is the rate per week. The range is the slope ± 2 standard errors of the slope (about 95%). ' +
  'Sell-out date = today + remaining units ÷ rate (earliest at the high rate, latest at the low rate; none when the low rate is not above zero). ' +
  "Period amount = amount signed so far in the period + amount rate × the period's remaining weeks.";

/** A value with its range. */
export interface Range {
  expected: number;
  low: number;
  high: number;
}

/** The forecast of the sell-out date and of a period's amount. */
export interface Forecast {
  method: string;
  weeks: number;
  /** Units and amount per week: expected (the slope) and its range. */
  rate: { units: Range; amount: Range };
  remainingUnits: number;
  sellOut: { expected: string | null; earliest: string | null; latest: string | null };
  period: Period & { signedAmount: number; amount: Range };
}

/**
 * Forecasts from weekly sales (oldest first, `units` and `amount` of each complete
 * week): see {@link FORECAST_METHOD}. `today` and the period are `YYYY-MM-DD`.
 */
export function forecastSales(input: {
  weekly: readonly { units: number; amount: number }[];
  remainingUnits: number;
  today: string;
  period: Period;
  signedInPeriod: number;
}): Forecast {
  const fit = (key: 'units' | 'amount'): Range => {
    let total = 0;
    const line = leastSquares(input.weekly.map((w, i) => ({ x: i + 1, y: (total += w[key]) })));
    if (!line) return { expected: 0, low: 0, high: 0 };
    const round = (v: number) => Math.round(v * 100) / 100;
    return {
      expected: round(Math.max(0, line.slope)),
      low: round(Math.max(0, line.slope - 2 * line.slopeError)),
      high: round(Math.max(0, line.slope + 2 * line.slopeError)),
    };
  };
  const units = fit('units');
  const amount = fit('amount');
  const dateAfter = (rate: number): string | null =>
    input.remainingUnits === 0 ? input.today : rate > 0 ? addDays(input.today, Math.ceil((input.remainingUnits / rate) * 7)) : null;
  // The days of the period after today (today's sales are in `signedInPeriod` already).
  const lastDone = input.today >= input.period.from ? input.today : addDays(input.period.from, -1);
  const weeksLeft = Math.max(0, (utcDate(input.period.to).getTime() - utcDate(lastDone).getTime()) / DAY) / 7;
  const periodAmount = (rate: number) => Math.round((input.signedInPeriod + rate * weeksLeft) * 100) / 100;
  return {
    method: FORECAST_METHOD,
    weeks: input.weekly.length,
    rate: { units, amount },
    remainingUnits: input.remainingUnits,
    sellOut: { expected: dateAfter(units.expected), earliest: dateAfter(units.high), latest: dateAfter(units.low) },
    period: {
      ...input.period,
      signedAmount: input.signedInPeriod,
      amount: { expected: periodAmount(amount.expected), low: periodAmount(amount.low), high: periodAmount(amount.high) },
    },
  };
}
