import { z } from 'zod';
import type { PrismaClient } from '../../db/client';
import type { Prisma } from '../../db/client';
import type { WorkingCalendar } from '../../definitions/types';
import { rebuildAnalytics } from '../../db/analytics';
import {
  chinaCalendarDays,
  DEFAULT_BUSINESS_TIME_ZONE,
  DEFAULT_CUSTOMER_RULES,
  isTimeZone,
  utcOffsetMinutes,
  zonedParts,
} from '../../domain';
import { InvalidInput } from './errors';
import { DEFAULT_CALENDAR } from '../../workflows/deadlines';
import type { AuditService } from './audit-service';
import type { Principal } from './auth-service';

/** Date formats the API renders `*Display` fields in. */
export const DATE_FORMATS = ['YYYY-MM-DD HH:mm', 'YYYY/MM/DD HH:mm', 'DD/MM/YYYY HH:mm', 'MM/DD/YYYY HH:mm'] as const;

/** Every setting, with its type; the single source of truth for reading and writing. */
export const settingsSchema = z.strictObject({
  dateFormat: z.enum(DATE_FORMATS),
  currencySymbol: z.string().min(1).max(4),
  defaultLocale: z.enum(['zh-CN', 'en']),
  /**
   * The organisation's business time zone (IANA): where its days, weeks, months,
   * quarters and years are cut (analytics, reports, the dates people see) and the
   * working calendar's offset.
   */
  businessTimeZone: z.string().min(1).max(64).refine(isTimeZone, { message: 'not an IANA time zone (e.g. Asia/Shanghai)' }),
  workingCalendar: z.strictObject({
    weekendDays: z.array(z.number().int().min(0).max(6)).max(6),
    holidays: z.array(z.iso.date()),
    extraWorkingDays: z.array(z.iso.date()).optional(),
    utcOffsetMinutes: z.number().int().min(-720).max(840),
  }) satisfies z.ZodType<WorkingCalendar>,
  /** Days a customer stays the registering agent's after the last effective follow-up (保护期). */
  customerProtectionDays: z.number().int().min(1).max(365),
  /** Discounts below list price an agent may give alone, and a supervisor may approve; above: the GM. */
  discountLimits: z
    .strictObject({ agent: z.number().min(0).max(1e12), supervisor: z.number().min(0).max(1e12) })
    .refine((l) => l.supervisor >= l.agent, { message: 'supervisor limit must not be below the agent limit', path: ['supervisor'] }),
});

/** The settings. */
export type Settings = z.infer<typeof settingsSchema>;

/** A change: any subset of the settings. */
export const settingsPatchSchema = settingsSchema.partial();

/** What holds when nothing was ever saved. */
export const DEFAULT_SETTINGS: Settings = {
  dateFormat: 'YYYY-MM-DD HH:mm',
  currencySymbol: '¥',
  defaultLocale: 'zh-CN',
  businessTimeZone: DEFAULT_BUSINESS_TIME_ZONE,
  // The national calendar (法定节假日 and 调休) until an admin saves one of their own.
  workingCalendar: { ...DEFAULT_CALENDAR, ...chinaCalendarDays() },
  customerProtectionDays: DEFAULT_CUSTOMER_RULES.protectionDays,
  discountLimits: { ...DEFAULT_CUSTOMER_RULES.discountLimits },
};

/** Reads and changes the system settings; every change is audited. */
export class SettingsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
  ) {}

  async get(): Promise<Settings> {
    const rows = await this.prisma.setting.findMany();
    const saved = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    // Values were validated when written; unknown keys from an older version are ignored.
    const settings = settingsSchema.parse({ ...DEFAULT_SETTINGS, ...pick(saved, Object.keys(DEFAULT_SETTINGS)) });
    // The calendar's offset follows the business time zone (now: a zone with daylight
    // saving has two); processes get it as data when they start.
    return {
      ...settings,
      workingCalendar: { ...settings.workingCalendar, utcOffsetMinutes: utcOffsetMinutes(new Date(), settings.businessTimeZone) },
    };
  }

  async update(principal: Principal, patch: Partial<Settings>): Promise<Settings> {
    if (patch.businessTimeZone !== undefined) {
      // Postgres cuts the rollups' days: it must know the zone as well as this runtime does.
      const known = await this.prisma.$queryRaw<unknown[]>`SELECT 1 FROM pg_timezone_names WHERE name = ${patch.businessTimeZone}`;
      if (!known.length)
        throw new InvalidInput(`Unknown time zone ${patch.businessTimeZone}`, [{ field: 'businessTimeZone', reason: 'unknown time zone' }]);
    }
    const zoneBefore = (await this.get()).businessTimeZone;
    await this.prisma.$transaction(async (tx) => {
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        const before = await tx.setting.findUnique({ where: { key } });
        if (JSON.stringify(before?.value) === JSON.stringify(value)) continue;
        await tx.setting.upsert({
          where: { key },
          create: { key, value: value as Prisma.InputJsonValue },
          update: { value: value as Prisma.InputJsonValue },
        });
        await this.audit.append(tx, {
          actor: principal,
          action: 'settings.update',
          objectType: 'setting',
          objectId: key,
          before: before?.value ?? (DEFAULT_SETTINGS as Record<string, unknown>)[key],
          after: value,
        });
      }
    });
    // Every rollup row's day depends on the zone: recount them all in the new one.
    if (patch.businessTimeZone !== undefined && patch.businessTimeZone !== zoneBefore) await rebuildAnalytics(this.prisma);
    return this.get();
  }
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
}

/** Renders an instant in the configured format and the business time zone. */
export function formatDate(at: Date, settings: Settings): string {
  const local = zonedParts(at, settings.businessTimeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const parts: Record<string, string> = {
    YYYY: String(local.year),
    MM: pad(local.month),
    DD: pad(local.day),
    HH: pad(local.hour),
    mm: pad(local.minute),
  };
  return settings.dateFormat.replace(/YYYY|MM|DD|HH|mm/g, (t) => parts[t]!);
}

/** Renders an amount with the configured currency symbol and two decimals. */
export function formatMoney(amount: number, settings: Settings): string {
  const locale = settings.defaultLocale === 'zh-CN' ? 'zh-CN' : 'en-US';
  return `${settings.currencySymbol}${amount.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
