import { z } from 'zod';
import type { PrismaClient } from '../../db/client';
import type { Prisma } from '../../db/client';
import type { WorkingCalendar } from '../../definitions/types';
import { DEFAULT_CUSTOMER_RULES } from '../../domain';
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
  workingCalendar: DEFAULT_CALENDAR,
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
    return settingsSchema.parse({ ...DEFAULT_SETTINGS, ...pick(saved, Object.keys(DEFAULT_SETTINGS)) });
  }

  async update(principal: Principal, patch: Partial<Settings>): Promise<Settings> {
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
    return this.get();
  }
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
}

/** Renders an instant in the configured format and the working calendar's time zone. */
export function formatDate(at: Date, settings: Settings): string {
  const local = new Date(at.getTime() + settings.workingCalendar.utcOffsetMinutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const parts: Record<string, string> = {
    YYYY: String(local.getUTCFullYear()),
    MM: pad(local.getUTCMonth() + 1),
    DD: pad(local.getUTCDate()),
    HH: pad(local.getUTCHours()),
    mm: pad(local.getUTCMinutes()),
  };
  return settings.dateFormat.replace(/YYYY|MM|DD|HH|mm/g, (t) => parts[t]!);
}

/** Renders an amount with the configured currency symbol and two decimals. */
export function formatMoney(amount: number, settings: Settings): string {
  const locale = settings.defaultLocale === 'zh-CN' ? 'zh-CN' : 'en-US';
  return `${settings.currencySymbol}${amount.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
