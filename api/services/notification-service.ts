import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppConfig } from '../../config/env';
import type { Prisma, PrismaClient } from '../../db/client';
import type { PgNotificationHub } from '../../db/pg-notifications';
import {
  DEFAULT_PREFERENCES,
  HH_MM,
  isTimeZone,
  LOCALES,
  NOTIFICATION_KINDS,
  NOTIFICATIONS_PG_CHANNEL,
  ROBOT_PROVIDERS,
  USER_CHANNELS,
  webhookPolicy,
  webhookUrlRefusal,
} from '../../notifications';
import { InvalidInput, NotFound } from './errors';
import { type Page, type PagedList, type PageRequest, pageOf } from './paging';
import type { AuditService } from './audit-service';
import type { Principal } from './auth-service';
import { SessionStreams } from './session-streams';

/** The body of PUT /api/me/notification-preferences: the whole set, validated here once. */
export const preferencesSchema = z
  .strictObject({
    channels: z.array(z.enum(USER_CHANNELS)).max(USER_CHANNELS.length),
    quietHours: z.strictObject({ start: z.string().regex(HH_MM, 'HH:MM'), end: z.string().regex(HH_MM, 'HH:MM') }).nullable(),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone, e.g. Asia/Shanghai'),
    digest: z.strictObject({ enabled: z.boolean(), time: z.string().regex(HH_MM, 'HH:MM') }),
    locale: z.enum(LOCALES),
  })
  .partial();

/** A preferences change. */
export type PreferencesPatch = z.infer<typeof preferencesSchema>;

/** A group robot as an admin creates it. */
export const webhookSchema = z.strictObject({
  name: z.string().min(1).max(100),
  provider: z.enum(ROBOT_PROVIDERS),
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().min(1).max(200).nullable().optional(),
  projectId: z.string().min(1).max(50).nullable().optional(),
  role: z.string().min(1).max(50).nullable().optional(),
  kinds: z.array(z.enum(NOTIFICATION_KINDS.filter((k) => k !== 'auth.password_reset'))).default([]),
  locale: z.enum(LOCALES).default('zh-CN'),
  active: z.boolean().default(true),
});

/** A new group robot. */
export type WebhookInput = z.infer<typeof webhookSchema>;

/** A list query of the notification centre. */
export interface NotificationQuery {
  unread?: boolean;
  cursor?: string;
  limit: number;
}

const deadLetterList: PagedList = { resource: 'dead-letters', keys: [{ field: 'id', kind: 'bigint', direction: 'desc' }] };

/** Newest first; a batch delivered in one statement shares its created time, the id orders it. */
const notificationList: PagedList = {
  resource: 'notifications',
  keys: [
    { field: 'createdAt', kind: 'date', direction: 'desc' },
    { field: 'id', kind: 'string', direction: 'desc' },
  ],
};

const notificationFields = {
  id: true,
  kind: true,
  title: true,
  body: true,
  link: true,
  projectId: true,
  processId: true,
  taskId: true,
  createdAt: true,
  readAt: true,
} as const;

/**
 * Tells each open stream of a user about their new notifications: the in-app
 * channel sends `pg_notify` with `<userId>:<notificationId>` on the shared hub.
 */
export class NotificationHub {
  constructor(private readonly hub: PgNotificationHub) {}

  /**
   * Calls `onNotification` with the id of each new notification of `userId`, and
   * `onLost` if the LISTEN connection breaks (the stream then ends and the client
   * reconnects). Returns the unsubscribe.
   */
  subscribe(userId: string, onNotification: (notificationId: string) => void, onLost: () => void): Promise<() => void> {
    return this.hub.subscribe(NOTIFICATIONS_PG_CHANNEL, {
      onPayload: (payload) => {
        const [forUser, id] = payload.split(':');
        if (forUser === userId && id) onNotification(id);
      },
      onLost,
    });
  }
}

/** The notification centre, preferences, group robots and dead letters. */
export class NotificationService {
  private readonly hub: NotificationHub;
  private readonly streams: SessionStreams;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    pgHub: PgNotificationHub,
  ) {
    this.hub = new NotificationHub(pgHub);
    // Its own instance is as good as a shared one: the per-session count is in the database.
    this.streams = new SessionStreams(prisma, pgHub, config);
  }

  /** The caller's notifications, newest first, and how many are unread. */
  async list(principal: Principal, q: NotificationQuery) {
    const where: Prisma.NotificationWhereInput = { userId: principal.userId, ...(q.unread ? { readAt: null } : {}) };
    const [{ rows: items, nextCursor }, unreadCount] = await Promise.all([
      pageOf(notificationList, q, q, (page) =>
        this.prisma.notification.findMany({
          where: page.after ? { AND: [where, page.after] } : where,
          select: notificationFields,
          orderBy: page.orderBy,
          take: page.take,
        }),
      ),
      this.unreadCount(principal.userId),
    ]);
    return { items, nextCursor, unreadCount } satisfies Page<unknown> & { unreadCount: number };
  }

  private unreadCount(userId: string): Promise<number> {
    return this.prisma.notification.count({ where: { userId, readAt: null } });
  }

  /** Marks one of the caller's notifications read. Idempotent: the first read time stays. */
  async markRead(principal: Principal, id: string) {
    const found = await this.prisma.notification.findFirst({ where: { id, userId: principal.userId }, select: { id: true } });
    if (!found) throw new NotFound('Notification');
    await this.prisma.notification.updateMany({ where: { id, readAt: null }, data: { readAt: new Date() } });
    return { unreadCount: await this.unreadCount(principal.userId) };
  }

  /** Marks all of the caller's notifications read. */
  async markAllRead(principal: Principal) {
    const { count } = await this.prisma.notification.updateMany({
      where: { userId: principal.userId, readAt: null },
      data: { readAt: new Date() },
    });
    return { marked: count, unreadCount: 0 };
  }

  /**
   * Server-sent events: `unread` with the count at once, then `notification` with each
   * new one as it is delivered, and a comment every 25 s so proxies keep the line
   * open. The stream ends after `maxSeconds` (EventSource-style clients reconnect), or
   * when the caller's session ends ({@link SessionStreams}). A session has at most
   * `STREAMS_PER_SESSION` streams open; the next gets 429.
   */
  async stream(principal: Principal, req: Request, res: Response, maxSeconds: number): Promise<void> {
    const send = (event: string, data: unknown, id?: string) => {
      res.write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    // A slot first, before anything is sent: a refusal (429, 401) is plain JSON.
    const slot = await this.streams.open(principal);
    let closed = false;
    res.status(200);
    res.set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' });
    let finish = () => {};
    const done = new Promise<void>((resolve) => {
      finish = () => {
        closed = true;
        resolve();
      };
      req.on('close', finish);
      res.on('close', finish);
      setTimeout(finish, maxSeconds * 1000).unref();
      void slot.ended.then(finish);
      // The client may have gone while the slot was being taken: its 'close' has fired already.
      if (req.destroyed) finish();
    });
    // Subscribed before anything is sent: if the database cannot be reached the
    // request still fails as plain JSON, and nothing delivered after the unread count
    // was read is missed.
    let unsubscribe: () => void;
    try {
      unsubscribe = await this.hub.subscribe(
        principal.userId,
        (id) => {
          void this.prisma.notification
            .findUnique({ where: { id }, select: notificationFields })
            .then((n) => {
              if (n && !closed) send('notification', n, n.id);
            })
            .catch(() => undefined);
        },
        () => finish(),
      );
    } catch (err) {
      await slot.close();
      throw err;
    }
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    try {
      res.flushHeaders();
      res.write('retry: 3000\n\n');
      send('unread', { unreadCount: await this.unreadCount(principal.userId) });
      await done;
    } finally {
      clearInterval(heartbeat);
      unsubscribe();
      res.end();
      await slot.close();
    }
  }

  /** The caller's preferences (the defaults until they choose). */
  async getPreferences(principal: Principal) {
    const user = await this.prisma.user.findUniqueOrThrow({
      where: { id: principal.userId },
      select: { locale: true, notificationPreference: true },
    });
    const p = user.notificationPreference ?? { ...DEFAULT_PREFERENCES };
    return {
      channels: p.channels,
      quietHours: p.quietStart && p.quietEnd ? { start: p.quietStart, end: p.quietEnd } : null,
      timeZone: p.timeZone,
      digest: { enabled: p.digest, time: p.digestTime },
      locale: user.locale,
      available: this.availableChannels(),
    };
  }

  private availableChannels(): string[] {
    return ['in_app', ...(this.config.SMTP_URL ? ['email'] : [])];
  }

  /** Changes the caller's preferences; fields left out keep their value. */
  async putPreferences(principal: Principal, patch: PreferencesPatch) {
    const data = {
      ...(patch.channels ? { channels: [...new Set(patch.channels)] } : {}),
      ...(patch.quietHours !== undefined ? { quietStart: patch.quietHours?.start ?? null, quietEnd: patch.quietHours?.end ?? null } : {}),
      ...(patch.timeZone ? { timeZone: patch.timeZone } : {}),
      ...(patch.digest ? { digest: patch.digest.enabled, digestTime: patch.digest.time } : {}),
    };
    await this.prisma.$transaction(async (tx) => {
      await tx.notificationPreference.upsert({
        where: { userId: principal.userId },
        create: { userId: principal.userId, ...data },
        update: data,
      });
      if (patch.locale) await tx.user.update({ where: { id: principal.userId }, data: { locale: patch.locale } });
      await this.audit.append(tx, {
        actor: principal,
        action: 'notifications.preferences',
        objectType: 'user',
        objectId: principal.userId,
        after: patch,
      });
    });
    return this.getPreferences(principal);
  }

  /** The group robots; secrets are never shown, only whether one is set. */
  async listWebhooks() {
    const rows = await this.prisma.notificationWebhook.findMany({ orderBy: { createdAt: 'asc' } });
    return rows.map(presentWebhook);
  }

  /** Adds a group robot. */
  async createWebhook(principal: Principal, input: WebhookInput) {
    await this.checkProject(input.projectId);
    await this.checkRobotUrl(input.provider, input.url);
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.notificationWebhook.create({
        data: { ...input, secret: input.secret ?? null, projectId: input.projectId ?? null, role: input.role ?? null },
      });
      await this.audit.append(tx, {
        actor: principal,
        action: 'notifications.webhook_create',
        objectType: 'notification_webhook',
        objectId: row.id,
        after: presentWebhook(row),
      });
      return presentWebhook(row);
    });
  }

  /** Changes a group robot. */
  async updateWebhook(principal: Principal, id: string, patch: Partial<WebhookInput>) {
    await this.checkProject(patch.projectId);
    return this.prisma.$transaction(async (tx) => {
      const before = await tx.notificationWebhook.findUnique({ where: { id } });
      if (!before) throw new NotFound('Webhook');
      // A new provider is checked against the URL it keeps, and a new URL against the provider.
      if (patch.url !== undefined || patch.provider !== undefined) {
        await this.checkRobotUrl(patch.provider ?? before.provider, patch.url ?? before.url);
      }
      const row = await tx.notificationWebhook.update({ where: { id }, data: patch });
      await this.audit.append(tx, {
        actor: principal,
        action: 'notifications.webhook_update',
        objectType: 'notification_webhook',
        objectId: id,
        before: presentWebhook(before),
        after: presentWebhook(row),
      });
      return presentWebhook(row);
    });
  }

  /** Removes a group robot; its pending deliveries are dead-lettered when they come up. */
  async deleteWebhook(principal: Principal, id: string) {
    await this.prisma.$transaction(async (tx) => {
      const before = await tx.notificationWebhook.findUnique({ where: { id } });
      if (!before) throw new NotFound('Webhook');
      await tx.notificationWebhook.delete({ where: { id } });
      await this.audit.append(tx, {
        actor: principal,
        action: 'notifications.webhook_delete',
        objectType: 'notification_webhook',
        objectId: id,
        before: presentWebhook(before),
      });
    });
  }

  /**
   * Refuses a robot URL off its provider's hosts or on a private address (see
   * notifications/channels/webhook-guard.ts); the sender checks again at every post.
   */
  private async checkRobotUrl(provider: string, url: string): Promise<void> {
    const refusal = await webhookUrlRefusal(provider, url, webhookPolicy(this.config));
    if (refusal) throw new InvalidInput(`The robot URL is refused: ${refusal}`, [{ field: 'url', reason: refusal }]);
  }

  private async checkProject(projectId: string | null | undefined): Promise<void> {
    if (projectId && !(await this.prisma.project.findUnique({ where: { id: projectId } }))) {
      throw new InvalidInput(`No project ${projectId}`, [{ field: 'projectId', reason: 'unknown project' }]);
    }
  }

  /** Deliveries that used up their attempts, newest first. */
  async deadLetters(q: PageRequest) {
    const { rows, nextCursor } = await pageOf(deadLetterList, q, {}, (page) =>
      this.prisma.notificationDelivery.findMany({
        where: page.after ? { AND: [{ status: 'dead' }, page.after] } : { status: 'dead' },
        orderBy: page.orderBy,
        take: page.take,
      }),
    );
    const items = rows.map((d) => ({
      id: d.id.toString(),
      channel: d.channel,
      target: d.target,
      userId: d.userId,
      kind: d.kind,
      subject: d.kind === 'auth.password_reset' ? '(reset code)' : d.subject,
      attempts: d.attempts,
      lastError: d.channel === 'wecom' || d.channel === 'dingtalk' ? robotError(d.lastError) : d.lastError,
      createdAt: d.createdAt,
      processId: d.processId,
      taskId: d.taskId,
    }));
    return { items, nextCursor } satisfies Page<unknown>;
  }

  /** Puts a dead letter back in the queue for a fresh round of attempts. */
  async retryDeadLetter(principal: Principal, id: bigint) {
    return this.prisma.$transaction(async (tx) => {
      const changed = await tx.notificationDelivery.updateMany({
        where: { id, status: 'dead' },
        data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), lockedUntil: null },
      });
      if (changed.count === 0) throw new NotFound('Dead letter');
      await this.audit.append(tx, {
        actor: principal,
        action: 'notifications.retry',
        objectType: 'notification_delivery',
        objectId: id.toString(),
      });
      return { id: id.toString(), status: 'pending' };
    });
  }
}

/**
 * A robot's failure as the dead-letter list shows it. Today's sender stores only a
 * status code or a fixed reason; rows from before it carry up to 200 characters of
 * what the robot URL answered (an internal page, if it pointed at one): cut to the code.
 */
function robotError(lastError: string | null): string | null {
  return lastError?.replace(/^(webhook answered \d+|webhook errcode -?\d+): [\s\S]*$/, '$1') ?? null;
}

function presentWebhook(w: {
  id: string;
  name: string;
  provider: string;
  url: string;
  secret: string | null;
  projectId: string | null;
  role: string | null;
  kinds: string[];
  locale: string;
  active: boolean;
  createdAt: Date;
}) {
  const { secret, url, ...rest } = w;
  // The robot URL carries its access token: shown without the query.
  return { ...rest, url: url.replace(/\?.*$/, '?…'), hasSecret: secret !== null };
}
