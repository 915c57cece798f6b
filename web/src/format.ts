import type { Settings } from './api/types';
import { businessDate, businessDayStart, DEFAULT_BUSINESS_TIME_ZONE } from '../../domain/business-time';

/** The business time zone of the settings, or China's before they are read. */
const zoneOf = (settings: Settings | null): string => settings?.businessTimeZone ?? DEFAULT_BUSINESS_TIME_ZONE;

const intlLocale = (language: string): string => (language === 'en' ? 'en-GB' : 'zh-CN');

/**
 * The wall-clock time of `iso` in the organisation's business time zone, formatted by
 * Intl in the user's language (a traveller's browser still shows the office's time).
 */
export function formatDateTime(iso: string | null | undefined, settings: Settings | null, language: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(intlLocale(language), {
    timeZone: zoneOf(settings),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** The business day (`YYYY-MM-DD`) of an instant in the organisation's business time zone. */
export function dayOf(instant: string | number | Date, settings: Settings | null): string {
  return businessDate(new Date(instant), zoneOf(settings));
}

/** When a business day (`YYYY-MM-DD`) begins, as an ISO instant for a query's `from`/`to`. */
export function dayStart(day: string, settings: Settings | null): string {
  return businessDayStart(day, zoneOf(settings)).toISOString();
}

/** The business day after `day` (`YYYY-MM-DD`). */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * A price in a few characters for a crowded grid: 万 in Chinese (¥312万), thousands
 * and millions in English (¥3.12M); the exact amount is in the unit's details.
 */
export function formatMoneyShort(value: number | string, settings: Settings | null, language: string): string {
  const amount = Number(value);
  const symbol = settings?.currencySymbol ?? '¥';
  if (!Number.isFinite(amount)) return '';
  if (language !== 'en')
    return amount >= 10_000 ? `${symbol}${Number((amount / 10_000).toFixed(amount >= 1_000_000 ? 0 : 1))}万` : `${symbol}${amount}`;
  if (amount >= 1_000_000) return `${symbol}${Number((amount / 1_000_000).toFixed(2))}M`;
  return amount >= 1_000 ? `${symbol}${Number((amount / 1_000).toFixed(0))}k` : `${symbol}${amount}`;
}

/** An amount with the settings' currency symbol and two decimals. */
export function formatMoney(value: number | string | null | undefined, settings: Settings | null, language: string): string {
  if (value === null || value === undefined || value === '') return '';
  const amount = Number(value);
  if (!Number.isFinite(amount)) return String(value);
  const number = new Intl.NumberFormat(intlLocale(language), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
  return `${settings?.currencySymbol ?? '¥'}${number}`;
}

/** A plain number in the user's language. */
export function formatNumber(value: number | string, language: string): string {
  return new Intl.NumberFormat(intlLocale(language)).format(Number(value));
}
