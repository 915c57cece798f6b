import type { Settings } from './api/types';

/** China's offset, when no settings were read yet. */
const DEFAULT_OFFSET_MINUTES = 480;

const intlLocale = (language: string): string => (language === 'en' ? 'en-GB' : 'zh-CN');

/**
 * The wall-clock time of `iso` in the working calendar's time zone (a fixed UTC
 * offset in the settings), formatted by Intl in the user's language.
 */
export function formatDateTime(iso: string | null | undefined, settings: Settings | null, language: string): string {
  if (!iso) return '';
  const offset = settings?.workingCalendar.utcOffsetMinutes ?? DEFAULT_OFFSET_MINUTES;
  const shifted = new Date(new Date(iso).getTime() + offset * 60_000);
  return new Intl.DateTimeFormat(intlLocale(language), {
    timeZone: 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(shifted);
}

/** The calendar day (`YYYY-MM-DD`) of an instant in the working calendar's time zone. */
export function dayOf(instant: string | number | Date, settings: Settings | null): string {
  const offset = settings?.workingCalendar.utcOffsetMinutes ?? DEFAULT_OFFSET_MINUTES;
  return new Date(new Date(instant).getTime() + offset * 60_000).toISOString().slice(0, 10);
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
