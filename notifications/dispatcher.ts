import type { AppConfig } from '../config/env';
import { Prisma, type Db, type PrismaClient } from '../db/client';
import { localText } from '../domain';
import { channelsFromConfig, PermanentDeliveryError, type NotificationChannel, type OutgoingMessage } from './channels';
import { GROUP_KINDS, type NotificationKind } from './messages';
import { DEFAULT_PREFERENCES, nextDigestAt, quietUntil, type Preferences } from './preferences';
import { loadSubjects, resolveRecipients, RoleDirectory, type MessageSubject, type OutboxRow } from './recipients';
import { collectDueReports } from './reports';
import { formatInstant, render, toLocale, type Locale, type ReportSummary, type TemplateContext, type TemplateKey } from './templates';

/** What the dispatcher needs. Tests pass a clock they can move and their own channels. */
export interface DispatcherOptions {
  prisma: PrismaClient;
  config: AppConfig;
  /** By default the channels the configuration enables. */
  channels?: Map<string, NotificationChannel>;
  /** The dispatcher's notion of now (quiet hours, digests, retries). */
  clock?: () => Date;
  log?: (message: string, err?: unknown) => void;
}

/** What one round did. */
export interface RoundResult {
  /** Subscribed sales reports written into the outbox. */
  reports: number;
  expanded: number;
  digests: number;
  attempted: number;
  sent: number;
  failed: number;
  dead: number;
}

/** A delivery row as claimed for sending. */
interface ClaimedDelivery {
  id: bigint;
  idempotency_key: string;
  user_id: string | null;
  channel: string;
  target: string;
  kind: string;
  subject: string;
  body: string;
  link: string | null;
  project_id: string | null;
  process_id: string | null;
  task_id: string | null;
  attempts: number;
}

/** Tells the outcome of a send to the caller of {@link NotificationDispatcher.deliver}. */
type SendOutcome = 'sent' | 'retry' | 'dead';

/** A user as the expansion needs them. */
interface Addressee {
  id: string;
  active: boolean;
  email: string | null;
  locale: Locale;
  preferences: Preferences;
}

/** The text a group robot gets for a kind: the group wording, else the personal one. */
function groupTemplate(kind: NotificationKind): TemplateKey {
  switch (kind) {
    case 'task.created':
    case 'task.reminder':
    case 'task.escalated':
    case 'process.finished':
      return `group.${kind}`;
    default:
      return kind;
  }
}

function toOutgoing(d: ClaimedDelivery): OutgoingMessage {
  return {
    idempotencyKey: d.idempotency_key,
    channel: d.channel,
    target: d.target,
    userId: d.user_id,
    kind: d.kind,
    subject: d.subject,
    body: d.body,
    link: d.link,
    projectId: d.project_id,
    processId: d.process_id,
    taskId: d.task_id,
  };
}

/** A maximum retry delay: past it, backing off further only hides a fixed problem. */
const MAX_BACKOFF_MS = 60 * 60_000;
/** How many sends run at once within a round. */
const SEND_CONCURRENCY = 16;

/**
 * Drains the outbox: a loop in the worker process (see docs/notifications.md for why not a
 * workflow). Each round
 *
 * 1. **expands** new outbox messages into deliveries — recipients resolved to users
 *    now, texts rendered in each one's language, one row per recipient × channel
 *    under a unique idempotency key, with quiet hours and digests applied;
 * 2. **collects digests**: held reminders whose digest time has come become one
 *    message per user and channel;
 * 3. **delivers** due deliveries, retrying with exponential backoff and
 *    dead-lettering after `NOTIFY_MAX_ATTEMPTS`.
 *
 * Rows are claimed with `FOR UPDATE SKIP LOCKED`, so any number of dispatchers (one
 * per worker process) share the work without taking a row twice. A send happens
 * outside any transaction under a lease (`locked_until`): a dispatcher that dies
 * mid-send leaves the row to be claimed again when the lease ends.
 */
/** The reader's half of a bilingual title; undefined stays undefined. */
const localTitle = (title: string | undefined, locale: Locale) => (title === undefined ? undefined : localText(title, locale));

export class NotificationDispatcher {
  private readonly prisma: PrismaClient;
  private readonly config: AppConfig;
  private readonly channels: Map<string, NotificationChannel>;
  private readonly clock: () => Date;
  private readonly log: (message: string, err?: unknown) => void;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(options: DispatcherOptions) {
    this.prisma = options.prisma;
    this.config = options.config;
    this.channels = options.channels ?? channelsFromConfig(options.config, options.prisma);
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? ((message, err) => console.error(`notifications: ${message}`, err ?? ''));
  }

  /** Starts the loop; it runs until {@link stop}. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** Stops the loop after the current round and closes the channels. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
    for (const channel of this.channels.values()) await channel.close?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let busy = false;
      const started = performance.now();
      try {
        const r = await this.runOnce();
        busy = r.reports + r.expanded + r.digests + r.attempted > 0;
      } catch (err) {
        // A database hiccup must not end the loop: the next round tries again.
        this.log('round failed', err);
      }
      if (this.stopping) break;
      // Idle: look again after the poll interval. Busy: rest in proportion to the
      // round, so that a burst leaves the cores and the database to the people
      // completing tasks (NOTIFY_DUTY_CYCLE); capped, so a slow round never stalls it long.
      const duty = this.config.NOTIFY_DUTY_CYCLE;
      const rest = busy ? Math.min(5_000, (performance.now() - started) * (1 / duty - 1)) : this.config.NOTIFY_POLL_MS;
      if (rest > 0) await this.sleep(rest);
    }
  }

  /** Waits `ms`, or until {@link stop} wakes it. */
  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  /** One round: write the subscribed reports that are due, expand, collect digests, deliver. */
  async runOnce(): Promise<RoundResult> {
    const reports = await collectDueReports(this.prisma, this.clock());
    const expanded = await this.expand();
    const digests = await this.collectDigests();
    const delivered = await this.deliver();
    return { reports, expanded, digests, ...delivered };
  }

  /** Runs rounds until one finds nothing to do (tests and the benchmark). */
  async drain(maxRounds = 10_000): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      const r = await this.runOnce();
      if (r.reports + r.expanded + r.digests + r.attempted === 0) return;
    }
  }

  // ── 1. expansion ──────────────────────────────────────────────────────────────

  /**
   * Turns a batch of new outbox messages into deliveries, in one transaction with
   * marking them expanded. Idempotent: the rows are locked (`SKIP LOCKED`) and
   * `sent_at` is set in the same transaction; the deliveries' idempotency keys are
   * unique, so even a second expansion of one message would add nothing.
   */
  async expand(): Promise<number> {
    const now = this.clock();
    return this.prisma.$transaction(
      async (tx) => {
        const raw = await tx.$queryRaw<
          {
            id: bigint;
            kind: string;
            project_id: string | null;
            process_id: string | null;
            task_id: string | null;
            role: string | null;
            user_id: string | null;
            payload: unknown;
            created_at: Date;
          }[]
        >`
          SELECT id, kind, project_id, process_id, task_id::text, role, user_id::text, payload, created_at
          FROM outbox_messages
          WHERE sent_at IS NULL AND kind IS NOT NULL
          ORDER BY id
          LIMIT ${this.config.NOTIFY_BATCH_SIZE}
          FOR UPDATE SKIP LOCKED`;
        if (raw.length === 0) return 0;
        const rows: OutboxRow[] = raw.map((r) => ({
          id: r.id,
          kind: r.kind as NotificationKind,
          projectId: r.project_id,
          processId: r.process_id,
          taskId: r.task_id,
          role: r.role,
          userId: r.user_id,
          payload: (r.payload ?? {}) as Record<string, unknown>,
          createdAt: r.created_at,
        }));
        const subjects = await loadSubjects(tx, rows);
        const directory = new RoleDirectory(tx);
        const resolved = await Promise.all(
          rows.map(async (row) => ({
            row,
            subject: subjects.get(row.id)!,
            resolution: await resolveRecipients(row, subjects.get(row.id)!, directory),
          })),
        );
        const users = await this.addressees(tx, [...new Set(resolved.flatMap((r) => r.resolution.recipients.map((x) => x.userId)))]);
        const webhooks = await tx.notificationWebhook.findMany({ where: { active: true } });

        const deliveries: Prisma.NotificationDeliveryCreateManyInput[] = [];
        for (const { row, subject, resolution } of resolved) {
          for (const recipient of resolution.recipients) {
            const user = users.get(recipient.userId);
            if (!user || !user.active) continue;
            deliveries.push(...this.planForUser(row, subject, recipient.template, user, now));
          }
          // A reset code never goes to a group, whatever a robot lists.
          for (const hook of row.kind === 'auth.password_reset' ? [] : webhooks) {
            const wanted = hook.kinds.length > 0 ? hook.kinds.includes(row.kind) : GROUP_KINDS.includes(row.kind);
            if (!wanted || !this.channels.has(hook.provider)) continue;
            if (hook.projectId && hook.projectId !== row.projectId) continue;
            if (hook.role && !resolution.roles.includes(hook.role)) continue;
            // A group reads about the task, not "for you": its own texts where there are.
            const template = groupTemplate(row.kind);
            const locale = toLocale(hook.locale);
            const text = render(template, locale, this.context(row, subject, locale, DEFAULT_PREFERENCES.timeZone));
            deliveries.push(
              this.delivery(
                row,
                subject,
                { key: `m${row.id}:wh:${hook.id}`, channel: hook.provider, target: hook.id, userId: null, template, locale, text },
                now,
              ),
            );
          }
        }
        if (deliveries.length > 0) await tx.notificationDelivery.createMany({ data: deliveries, skipDuplicates: true });
        await tx.outboxMessage.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { sentAt: now } });
        // A reset code stays readable only in its delivery, which is scrubbed once sent.
        await tx.outboxMessage.updateMany({
          where: { id: { in: rows.map((r) => r.id) }, kind: 'auth.password_reset' },
          data: { body: '(reset code: handed to the e-mail delivery)', payload: Prisma.DbNull },
        });
        return rows.length;
      },
      { timeout: 120_000, maxWait: 10_000 },
    );
  }

  /** The users of a batch with their language, address and preferences. */
  private async addressees(db: Db, ids: string[]): Promise<Map<string, Addressee>> {
    const rows = await db.user.findMany({
      where: { id: { in: ids } },
      select: { id: true, active: true, email: true, locale: true, notificationPreference: true },
    });
    return new Map(
      rows.map((u) => {
        const p = u.notificationPreference;
        const preferences: Preferences = p
          ? {
              channels: p.channels,
              quietStart: p.quietStart,
              quietEnd: p.quietEnd,
              timeZone: p.timeZone,
              digest: p.digest,
              digestTime: p.digestTime,
            }
          : DEFAULT_PREFERENCES;
        return [u.id, { id: u.id, active: u.active, email: u.email, locale: toLocale(u.locale), preferences }];
      }),
    );
  }

  /** The deliveries of one message to one user: one per channel they get it on. */
  private planForUser(row: OutboxRow, subject: MessageSubject, template: TemplateKey, user: Addressee, now: Date) {
    const prefs = user.preferences;
    // A reset code goes by e-mail only, whatever the preferences: in-app needs the
    // user to be signed in, and a group robot must never see it.
    const wanted = row.kind === 'auth.password_reset' ? ['email'] : prefs.channels;
    const channels = wanted.filter((c) => this.channels.has(c) && (c !== 'email' || !!user.email) && c !== 'wecom' && c !== 'dingtalk');
    if (row.kind === 'auth.password_reset' && channels.length === 0) {
      this.log(`password reset for user ${user.id} not sent: no e-mail address or SMTP_URL unset`);
    }
    const text = render(template, user.locale, this.context(row, subject, user.locale, prefs.timeZone));
    // Reminders follow quiet hours and the digest; escalations and the rest go now.
    let status = 'pending';
    let at = now;
    if (row.kind === 'task.reminder') {
      if (prefs.digest) {
        status = 'held';
        at = nextDigestAt(now, prefs);
      } else {
        at = quietUntil(now, prefs) ?? now;
      }
    }
    return channels.map((channel) =>
      this.delivery(
        row,
        subject,
        {
          key: `m${row.id}:u${user.id}:${channel}`,
          channel,
          target: channel === 'email' ? user.email! : user.id,
          userId: user.id,
          template,
          locale: user.locale,
          text,
        },
        at,
        status,
      ),
    );
  }

  private delivery(
    row: OutboxRow,
    subject: MessageSubject,
    d: {
      key: string;
      channel: string;
      target: string;
      userId: string | null;
      template: TemplateKey;
      locale: Locale;
      text: { subject: string; body: string };
    },
    at: Date,
    status = 'pending',
  ): Prisma.NotificationDeliveryCreateManyInput {
    return {
      idempotencyKey: d.key,
      outboxId: row.id,
      userId: d.userId,
      channel: d.channel,
      target: d.target,
      kind: row.kind,
      template: d.template,
      locale: d.locale,
      subject: d.text.subject,
      body: d.text.body,
      link: this.link(row, subject),
      projectId: row.projectId,
      processId: row.processId,
      taskId: row.taskId,
      status,
      nextAttemptAt: at,
    };
  }

  /** The deep link into the web app: the task, else the process. */
  private link(row: OutboxRow, subject: MessageSubject): string | null {
    if (row.kind === 'auth.password_reset') return null;
    if (row.kind === 'report.ready') return `${this.config.PUBLIC_URL}/#/analytics?tab=reports`;
    // The web app routes by the hash, so a link opens the page itself, in a new tab too.
    if (row.taskId) return `${this.config.PUBLIC_URL}/#/tasks/${row.taskId}`;
    const processId = row.processId ?? subject.process?.id;
    return processId ? `${this.config.PUBLIC_URL}/#/processes/${encodeURIComponent(processId)}` : null;
  }

  private context(row: OutboxRow, subject: MessageSubject, locale: Locale, timeZone: string): TemplateContext {
    const p = row.payload;
    const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const when = (v: unknown) => (typeof v === 'string' || v instanceof Date ? formatInstant(new Date(v), locale, timeZone) : undefined);
    return {
      // Definitions name things in both languages (`到访接待 Visitor reception`): the reader's half.
      taskTitle: localTitle(subject.task?.title ?? s(p.taskTitle), locale),
      processTitle: localTitle(subject.process?.title ?? s(p.processTitle), locale),
      projectName: subject.projectName ?? row.projectId ?? undefined,
      dueAt: subject.task ? formatInstant(subject.task.dueAt, locale, timeZone) : when(p.dueAt),
      link: this.link(row, subject) ?? undefined,
      outcome: s(p.outcome),
      status: s(p.status),
      fromRole: s(p.fromRole),
      toRole: s(p.toRole) ?? row.role ?? undefined,
      code: s(p.code),
      expiresAt: when(p.expiresAt),
      actorName: s(p.actorName),
      subject: s(p.subject),
      text: s(p.body),
      ...(row.kind === 'report.ready' && p.report && typeof p.report === 'object' ? { report: p.report as ReportSummary } : {}),
    };
  }

  // ── 2. digests ────────────────────────────────────────────────────────────────

  /**
   * Sends the held reminders whose digest time has come as one message per user and
   * channel. Idempotent: the held rows move to `digested` in the same transaction
   * that writes the digest, and only rows this transaction moved go into it; the
   * digest's key names the user, channel and first reminder.
   */
  async collectDigests(): Promise<number> {
    const now = this.clock();
    const groups = await this.prisma.$queryRaw<{ user_id: string; channel: string; due: Date }[]>`
      SELECT DISTINCT user_id::text, channel, next_attempt_at AS due
      FROM notification_deliveries
      WHERE status = 'held' AND next_attempt_at <= ${now}
      LIMIT 500`;
    let made = 0;
    for (const g of groups) {
      made += await this.prisma.$transaction(async (tx) => {
        const items = await tx.$queryRaw<{ id: bigint; subject: string; link: string | null; target: string; locale: string }[]>`
          UPDATE notification_deliveries SET status = 'digested'
          WHERE id IN (
            SELECT id FROM notification_deliveries
            WHERE status = 'held' AND user_id = ${g.user_id}::uuid AND channel = ${g.channel} AND next_attempt_at = ${g.due}
            FOR UPDATE SKIP LOCKED)
          RETURNING id, subject, link, target, locale`;
        if (items.length === 0) return 0;
        items.sort((a, b) => (a.id < b.id ? -1 : 1));
        const first = items[0]!;
        const locale = toLocale(first.locale);
        const text = render('digest', locale, { items: items.map((i) => ({ subject: i.subject, link: i.link ?? undefined })) });
        await tx.notificationDelivery.createMany({
          data: [
            {
              idempotencyKey: `digest:${g.user_id}:${g.channel}:${first.id}`,
              userId: g.user_id,
              channel: g.channel,
              target: first.target,
              kind: 'digest',
              template: 'digest',
              locale,
              subject: text.subject,
              body: text.body,
              link: null,
              nextAttemptAt: now,
            },
          ],
          skipDuplicates: true,
        });
        return 1;
      });
    }
    return made;
  }

  // ── 3. delivery ───────────────────────────────────────────────────────────────

  /** Claims due deliveries under a lease and sends them. */
  async deliver(): Promise<Omit<RoundResult, 'reports' | 'expanded' | 'digests'>> {
    const now = this.clock();
    // Longer than a send can take (connect + send timeouts), so a live dispatcher
    // never loses its claim; after a crash the row is free again when it ends.
    const leaseUntil = new Date(now.getTime() + 3 * this.config.NOTIFY_SEND_TIMEOUT_MS + 30_000);
    const claimed = await this.prisma.$queryRaw<ClaimedDelivery[]>`
      UPDATE notification_deliveries d SET locked_until = ${leaseUntil}, attempts = d.attempts + 1
      WHERE d.id IN (
        SELECT id FROM notification_deliveries
        WHERE status = 'pending' AND next_attempt_at <= ${now} AND (locked_until IS NULL OR locked_until < ${now})
        ORDER BY next_attempt_at, id
        LIMIT ${this.config.NOTIFY_BATCH_SIZE}
        FOR UPDATE SKIP LOCKED)
      RETURNING d.id, d.idempotency_key, d.user_id::text, d.channel, d.target, d.kind, d.subject, d.body, d.link,
                d.project_id, d.process_id, d.task_id::text, d.attempts`;
    const result = { attempted: claimed.length, sent: 0, failed: 0, dead: 0 };
    // Channels that take a batch get theirs in one call; the rest, and a batch that
    // failed, go one by one so one bad message does not hold up the others.
    const single: ClaimedDelivery[] = [];
    const byChannel = new Map<string, ClaimedDelivery[]>();
    for (const d of claimed) byChannel.set(d.channel, [...(byChannel.get(d.channel) ?? []), d]);
    for (const [name, group] of byChannel) {
      const channel = this.channels.get(name);
      if (!channel?.sendBatch || group.length < 2) {
        single.push(...group);
        continue;
      }
      try {
        await channel.sendBatch(group.map(toOutgoing));
        const { count } = await this.prisma.notificationDelivery.updateMany({
          where: { id: { in: group.map((d) => d.id) }, status: 'pending' },
          data: { status: 'sent', sentAt: this.clock(), lockedUntil: null, lastError: null },
        });
        result.sent += count;
      } catch (err) {
        this.log(`batch of ${group.length} on ${name} failed; sending one by one`, err);
        single.push(...group);
      }
    }
    let next = 0;
    const worker = async () => {
      while (next < single.length) {
        const d = single[next++]!;
        const outcome = await this.sendOne(d);
        if (outcome === 'sent') result.sent++;
        else if (outcome === 'retry') result.failed++;
        else result.dead++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, single.length) }, worker));
    return result;
  }

  private async sendOne(d: ClaimedDelivery): Promise<SendOutcome> {
    const message = toOutgoing(d);
    try {
      const channel = this.channels.get(d.channel);
      if (!channel) throw new Error(`channel ${d.channel} is not configured`);
      await channel.send(message);
    } catch (err) {
      const permanent = err instanceof PermanentDeliveryError;
      const dead = permanent || d.attempts >= this.config.NOTIFY_MAX_ATTEMPTS;
      const backoff = Math.min(MAX_BACKOFF_MS, this.config.NOTIFY_BACKOFF_MS * 2 ** (d.attempts - 1));
      // ±20 % jitter, so deliveries that failed together do not retry in lock-step.
      const retryAt = new Date(this.clock().getTime() + Math.round(backoff * (0.8 + 0.4 * Math.random())));
      await this.prisma.notificationDelivery.updateMany({
        where: { id: d.id, status: 'pending' },
        data: {
          status: dead ? 'dead' : 'pending',
          nextAttemptAt: dead ? undefined : retryAt,
          lockedUntil: null,
          lastError: String((err as Error)?.message ?? err).slice(0, 1000),
        },
      });
      return dead ? 'dead' : 'retry';
    }
    await this.prisma.notificationDelivery.updateMany({
      where: { id: d.id, status: 'pending' },
      data: {
        status: 'sent',
        sentAt: this.clock(),
        lockedUntil: null,
        lastError: null,
        // The reset code has done its job: it does not stay readable in the table.
        ...(d.kind === 'auth.password_reset' ? { body: '(sent)' } : {}),
      },
    });
    return 'sent';
  }
}
