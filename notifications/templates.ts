/**
 * Message texts in the recipient's language. One function per template and locale,
 * with the same keys in both languages; dates are formatted by `Intl` in the
 * recipient's time zone. No fragments are concatenated across languages.
 */

import type { ReportKind } from '../domain';

/** The languages messages are written in. */
export const LOCALES = ['zh-CN', 'en'] as const;
/** One of {@link LOCALES}. */
export type Locale = (typeof LOCALES)[number];

/** Which text a recipient gets. Escalations have two: for the new holders and for the one who missed it. */
export type TemplateKey =
  | 'task.created'
  | 'task.assigned'
  | 'task.reminder'
  | 'task.escalated'
  | 'task.escalation_missed'
  | 'approval.decided'
  | 'process.finished'
  | 'task.delegated'
  | 'task.returned'
  | 'auth.password_reset'
  | 'process.message'
  | 'report.ready'
  | 'digest'
  | 'group.task.created'
  | 'group.task.reminder'
  | 'group.task.escalated'
  | 'group.process.finished';

/** What a template may use; every field is already resolved and plain. */
export interface TemplateContext {
  taskTitle?: string;
  processTitle?: string;
  projectName?: string;
  /** Already formatted for the recipient. */
  dueAt?: string;
  link?: string;
  outcome?: string;
  status?: string;
  fromRole?: string;
  toRole?: string;
  code?: string;
  expiresAt?: string;
  actorName?: string;
  subject?: string;
  text?: string;
  /** For a subscribed sales report: the period's figures against the period before. */
  report?: ReportSummary;
  /** For the digest: one line per reminder. */
  items?: { subject: string; link?: string }[];
}

/** A sales report's key figures, as a subscription's message carries them. */
export interface ReportSummary {
  kind: ReportKind;
  from: string;
  to: string;
  figures: Record<ReportMeasure, number>;
  previous: Record<ReportMeasure, number>;
}

/** The figures a report message lists, in this order. */
export const REPORT_MEASURES = ['visits', 'intents', 'subscriptions', 'contracts', 'contractAmount', 'paidAmount'] as const;
/** One of {@link REPORT_MEASURES}. */
export type ReportMeasure = (typeof REPORT_MEASURES)[number];

const AMOUNTS: ReadonlySet<ReportMeasure> = new Set(['contractAmount', 'paidAmount']);

/** One line a measure: this period, the one before, and the change. */
function reportLines(r: ReportSummary, locale: Locale, names: Record<ReportMeasure, string>, before: string): string {
  const number = (m: ReportMeasure, v: number) =>
    AMOUNTS.has(m)
      ? new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', maximumFractionDigits: 0 }).format(v)
      : new Intl.NumberFormat(locale).format(v);
  return REPORT_MEASURES.map((m) => {
    const now = r.figures[m] ?? 0;
    const was = r.previous[m] ?? 0;
    const change = was > 0 ? ` ${now >= was ? '+' : ''}${(((now - was) / was) * 100).toFixed(1)}%` : '';
    const compared = `${before} ${number(m, was)}${change}`;
    return locale === 'en' ? `• ${names[m]}: ${number(m, now)} (${compared})` : `• ${names[m]}：${number(m, now)}（${compared}）`;
  }).join('\n');
}

const REPORT_ZH: Record<ReportMeasure, string> = {
  visits: '到访',
  intents: '意向登记',
  subscriptions: '认购',
  contracts: '签约',
  contractAmount: '签约金额',
  paidAmount: '回款金额',
};
const REPORT_EN: Record<ReportMeasure, string> = {
  visits: 'Visits',
  intents: 'Intents',
  subscriptions: 'Subscriptions',
  contracts: 'Contracts',
  contractAmount: 'Contract amount',
  paidAmount: 'Amount received',
};
const KIND_ZH: Record<ReportKind, string> = { daily: '日报', weekly: '周报', monthly: '月报', quarterly: '季报', yearly: '年报' };
const KIND_EN: Record<ReportKind, string> = {
  daily: 'Daily report',
  weekly: 'Weekly report',
  monthly: 'Monthly report',
  quarterly: 'Quarterly report',
  yearly: 'Yearly report',
};
const period = (r: ReportSummary) => (r.from === r.to ? r.from : `${r.from} ~ ${r.to}`);

/** A rendered message. */
export interface Rendered {
  subject: string;
  body: string;
}

type Template = (c: TemplateContext) => Rendered;

const withLink = (text: string, c: TemplateContext, label: string): string => (c.link ? `${text}\n\n${label}: ${c.link}` : text);
const project = (c: TemplateContext, fallback: string) => c.projectName ?? fallback;

const outcomeZh: Record<string, string> = { approve: '批准', reject: '驳回', revise: '退回修改' };
const statusZh: Record<string, string> = { completed: '已完成', rejected: '已驳回', cancelled: '已取消', failed: '已失败' };

const zh: Record<TemplateKey, Template> = {
  'task.created': (c) => ({
    subject: `新任务：${c.taskTitle}`,
    body: withLink(
      `项目「${project(c, '')}」的流程「${c.processTitle}」有一项新任务「${c.taskTitle}」待您处理，截止时间 ${c.dueAt}。`,
      c,
      '查看任务',
    ),
  }),
  'task.assigned': (c) => ({
    subject: `任务已转给您：${c.taskTitle}`,
    body: withLink(
      `${c.actorName ?? '有人'}将任务「${c.taskTitle}」（流程「${c.processTitle}」）转给了您，截止时间 ${c.dueAt}。`,
      c,
      '查看任务',
    ),
  }),
  'task.reminder': (c) => ({
    subject: `任务提醒：${c.taskTitle}`,
    body: withLink(`任务「${c.taskTitle}」（流程「${c.processTitle}」）将于 ${c.dueAt} 到期，请及时处理。`, c, '查看任务'),
  }),
  'task.escalated': (c) => ({
    subject: `任务已升级给您：${c.taskTitle}`,
    body: withLink(`任务「${c.taskTitle}」（流程「${c.processTitle}」）已于 ${c.dueAt} 逾期，现升级由您处理。`, c, '查看任务'),
  }),
  'task.escalation_missed': (c) => ({
    subject: `任务已逾期并升级：${c.taskTitle}`,
    body: withLink(
      `您的任务「${c.taskTitle}」（流程「${c.processTitle}」）已于 ${c.dueAt} 逾期，已升级给上级处理。您仍可完成它。`,
      c,
      '查看任务',
    ),
  }),
  'approval.decided': (c) => ({
    subject: `审批结果：${c.taskTitle} — ${outcomeZh[c.outcome ?? ''] ?? c.outcome}`,
    body: withLink(
      `您发起的流程「${c.processTitle}」中「${c.taskTitle}」的审批结果为：${outcomeZh[c.outcome ?? ''] ?? c.outcome}（${c.actorName ?? ''}）。`,
      c,
      '查看流程',
    ),
  }),
  'process.finished': (c) => ({
    subject: `流程${statusZh[c.status ?? ''] ?? c.status}：${c.processTitle}`,
    body: withLink(`您发起的流程「${c.processTitle}」${statusZh[c.status ?? ''] ?? c.status}。`, c, '查看流程'),
  }),
  'task.delegated': (c) => ({
    subject: `委托给您的任务：${c.taskTitle}`,
    body: withLink(
      `${c.actorName ?? '有人'}将任务「${c.taskTitle}」（流程「${c.processTitle}」）委托给您办理，完成后将交回其确认。`,
      c,
      '查看任务',
    ),
  }),
  'task.returned': (c) => ({
    subject: `委托任务已交回：${c.taskTitle}`,
    body: withLink(`${c.actorName ?? '受托人'}已完成并交回任务「${c.taskTitle}」，请您确认。`, c, '查看任务'),
  }),
  'auth.password_reset': (c) => ({
    subject: '密码重置验证码',
    body: `您的密码重置验证码：${c.code}\n\n请在 ${c.expiresAt} 之前使用。如非本人操作，请忽略此邮件。`,
  }),
  'process.message': (c) => ({ subject: c.subject ?? '通知', body: withLink(c.text ?? '', c, '查看流程') }),
  'report.ready': (c) => ({
    subject: `${project(c, '')} ${c.report ? KIND_ZH[c.report.kind] : '销售报表'}（${c.report ? period(c.report) : ''}）`,
    body: withLink(c.report ? reportLines(c.report, 'zh-CN', REPORT_ZH, '上期') : '', c, '查看报表'),
  }),
  digest: (c) => ({
    subject: `今日任务提醒（${c.items?.length ?? 0} 项）`,
    body: (c.items ?? []).map((i) => `• ${i.subject}${i.link ? `  ${i.link}` : ''}`).join('\n'),
  }),
  'group.task.created': (c) => ({
    subject: `新任务：${c.taskTitle}`,
    body: withLink(
      `项目「${project(c, '')}」流程「${c.processTitle}」新增任务「${c.taskTitle}」（${c.toRole ?? ''}），截止时间 ${c.dueAt}。`,
      c,
      '查看任务',
    ),
  }),
  'group.task.reminder': (c) => ({
    subject: `任务提醒：${c.taskTitle}`,
    body: withLink(`流程「${c.processTitle}」的任务「${c.taskTitle}」将于 ${c.dueAt} 到期。`, c, '查看任务'),
  }),
  'group.task.escalated': (c) => ({
    subject: `任务逾期已升级：${c.taskTitle}`,
    body: withLink(
      `流程「${c.processTitle}」的任务「${c.taskTitle}」已于 ${c.dueAt} 逾期，已由 ${c.fromRole ?? ''} 升级至 ${c.toRole ?? ''}。`,
      c,
      '查看任务',
    ),
  }),
  'group.process.finished': (c) => ({
    subject: `流程${statusZh[c.status ?? ''] ?? c.status}：${c.processTitle}`,
    body: withLink(`项目「${project(c, '')}」的流程「${c.processTitle}」${statusZh[c.status ?? ''] ?? c.status}。`, c, '查看流程'),
  }),
};

const en: Record<TemplateKey, Template> = {
  'task.created': (c) => ({
    subject: `New task: ${c.taskTitle}`,
    body: withLink(
      `A new task "${c.taskTitle}" of "${c.processTitle}" (project ${project(c, '')}) is waiting for you, due ${c.dueAt}.`,
      c,
      'Open the task',
    ),
  }),
  'task.assigned': (c) => ({
    subject: `Task passed to you: ${c.taskTitle}`,
    body: withLink(
      `${c.actorName ?? 'Someone'} passed the task "${c.taskTitle}" of "${c.processTitle}" to you, due ${c.dueAt}.`,
      c,
      'Open the task',
    ),
  }),
  'task.reminder': (c) => ({
    subject: `Reminder: ${c.taskTitle}`,
    body: withLink(`The task "${c.taskTitle}" of "${c.processTitle}" is due ${c.dueAt}.`, c, 'Open the task'),
  }),
  'task.escalated': (c) => ({
    subject: `Escalated to you: ${c.taskTitle}`,
    body: withLink(`The task "${c.taskTitle}" of "${c.processTitle}" was due ${c.dueAt} and is now yours.`, c, 'Open the task'),
  }),
  'task.escalation_missed': (c) => ({
    subject: `Overdue and escalated: ${c.taskTitle}`,
    body: withLink(
      `Your task "${c.taskTitle}" of "${c.processTitle}" was due ${c.dueAt} and has been escalated. You may still complete it.`,
      c,
      'Open the task',
    ),
  }),
  'approval.decided': (c) => ({
    subject: `Approval decided: ${c.taskTitle} — ${c.outcome}`,
    body: withLink(
      `"${c.taskTitle}" in your process "${c.processTitle}" was decided: ${c.outcome} (${c.actorName ?? ''}).`,
      c,
      'Open the process',
    ),
  }),
  'process.finished': (c) => ({
    subject: `Process ${c.status}: ${c.processTitle}`,
    body: withLink(`Your process "${c.processTitle}" has ${c.status === 'rejected' ? 'been rejected' : c.status}.`, c, 'Open the process'),
  }),
  'task.delegated': (c) => ({
    subject: `Delegated to you: ${c.taskTitle}`,
    body: withLink(
      `${c.actorName ?? 'Someone'} delegated the task "${c.taskTitle}" of "${c.processTitle}" to you; it returns to them for sign-off.`,
      c,
      'Open the task',
    ),
  }),
  'task.returned': (c) => ({
    subject: `Delegated task handed back: ${c.taskTitle}`,
    body: withLink(`${c.actorName ?? 'The delegate'} handed back the task "${c.taskTitle}" for your sign-off.`, c, 'Open the task'),
  }),
  'auth.password_reset': (c) => ({
    subject: 'Password reset code',
    body: `Your password reset code: ${c.code}\n\nUse it before ${c.expiresAt}. If you did not ask for it, ignore this message.`,
  }),
  'process.message': (c) => ({ subject: c.subject ?? 'Notice', body: withLink(c.text ?? '', c, 'Open the process') }),
  'report.ready': (c) => ({
    subject: `${c.report ? KIND_EN[c.report.kind] : 'Sales report'}: ${project(c, '')} (${c.report ? period(c.report) : ''})`,
    body: withLink(c.report ? reportLines(c.report, 'en', REPORT_EN, 'before') : '', c, 'Open the report'),
  }),
  digest: (c) => ({
    subject: `Today's task reminders (${c.items?.length ?? 0})`,
    body: (c.items ?? []).map((i) => `• ${i.subject}${i.link ? `  ${i.link}` : ''}`).join('\n'),
  }),
  'group.task.created': (c) => ({
    subject: `New task: ${c.taskTitle}`,
    body: withLink(
      `New task "${c.taskTitle}" (${c.toRole ?? ''}) in "${c.processTitle}", project ${project(c, '')}, due ${c.dueAt}.`,
      c,
      'Open the task',
    ),
  }),
  'group.task.reminder': (c) => ({
    subject: `Reminder: ${c.taskTitle}`,
    body: withLink(`The task "${c.taskTitle}" of "${c.processTitle}" is due ${c.dueAt}.`, c, 'Open the task'),
  }),
  'group.task.escalated': (c) => ({
    subject: `Overdue and escalated: ${c.taskTitle}`,
    body: withLink(
      `The task "${c.taskTitle}" of "${c.processTitle}" was due ${c.dueAt}; escalated from ${c.fromRole ?? ''} to ${c.toRole ?? ''}.`,
      c,
      'Open the task',
    ),
  }),
  'group.process.finished': (c) => ({
    subject: `Process ${c.status}: ${c.processTitle}`,
    body: withLink(
      `The process "${c.processTitle}" of project ${project(c, '')} has ${c.status === 'rejected' ? 'been rejected' : c.status}.`,
      c,
      'Open the process',
    ),
  }),
};

const TEMPLATES: Record<Locale, Record<TemplateKey, Template>> = { 'zh-CN': zh, en };

/** The supported locale closest to `locale` (zh-CN when unknown). */
export function toLocale(locale: string | null | undefined): Locale {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** Renders one template in one language. */
export function render(key: TemplateKey, locale: Locale, context: TemplateContext): Rendered {
  return TEMPLATES[locale][key](context);
}

/** Formats an instant for a reader in `locale` and `timeZone`. */
export function formatInstant(at: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
}
