/**
 * China's public holidays and make-up working days (调休) as the State Council
 * announces them each year (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04,
 * 国办发明电〔2025〕7号), for the working calendar in settings. Add a year when its
 * notice is published (usually in November of the year before).
 */
export const CHINA_PUBLIC_HOLIDAYS: Readonly<Record<number, { holidays: readonly string[]; extraWorkingDays: readonly string[] }>> = {
  2026: {
    holidays: [
      // 元旦 New Year: 1–3 January.
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      // 春节 Spring Festival: 15–23 February.
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
      // 清明节 Qingming: 4–6 April.
      '2026-04-04',
      '2026-04-05',
      '2026-04-06',
      // 劳动节 Labour Day: 1–5 May.
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
      '2026-05-04',
      '2026-05-05',
      // 端午节 Dragon Boat: 19–21 June.
      '2026-06-19',
      '2026-06-20',
      '2026-06-21',
      // 中秋节 Mid-Autumn: 25–27 September.
      '2026-09-25',
      '2026-09-26',
      '2026-09-27',
      // 国庆节 National Day: 1–7 October.
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ],
    // Weekend days worked instead.
    extraWorkingDays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

/**
 * Every year's public holidays and make-up working days of the table, for the default
 * working calendar (a new installation starts with the official calendar; the
 * settings page edits it and warns when next year's notice has not been added yet).
 */
export function chinaCalendarDays(): { holidays: string[]; extraWorkingDays: string[] } {
  const years = Object.values(CHINA_PUBLIC_HOLIDAYS);
  return { holidays: years.flatMap((y) => [...y.holidays]), extraWorkingDays: years.flatMap((y) => [...y.extraWorkingDays]) };
}
