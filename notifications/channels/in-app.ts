import type { PrismaClient } from '../../db/client';
import type { NotificationChannel, OutgoingMessage } from './types';

/** The Postgres channel on which the API hears of new in-app notifications (for its live stream). */
export const NOTIFICATIONS_PG_CHANNEL = 'notifications';

/**
 * The in-app notification centre: a row in `notifications`. Exactly once: the row
 * is keyed by the delivery's idempotency key, so an attempt repeated after a crash
 * (sent, but not yet marked sent) inserts nothing.
 */
export class InAppChannel implements NotificationChannel {
  readonly name = 'in_app';

  constructor(private readonly prisma: PrismaClient) {}

  async send(m: OutgoingMessage): Promise<void> {
    if (!m.userId) return;
    await this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO notifications (id, user_id, idempotency_key, kind, title, body, link, project_id, process_id, task_id)
        VALUES (gen_random_uuid(), ${m.userId}::uuid, ${m.idempotencyKey}, ${m.kind}, ${m.subject}, ${m.body}, ${m.link},
                ${m.projectId}, ${m.processId}, ${m.taskId}::uuid)
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id::text`;
      const id = rows[0]?.id;
      // NOTIFY is delivered on commit, so a listener never sees a row it cannot read yet.
      if (id) await tx.$executeRaw`SELECT pg_notify(${NOTIFICATIONS_PG_CHANNEL}, ${`${m.userId}:${id}`})`;
    });
  }

  /**
   * One statement for a whole batch (10,000 reminders are 20 statements, not 40,000):
   * rows already there are skipped by their key, and only new rows are announced.
   */
  async sendBatch(messages: OutgoingMessage[]): Promise<void> {
    const rows = messages
      .filter((m) => m.userId)
      .map((m) => ({
        user_id: m.userId,
        key: m.idempotencyKey,
        kind: m.kind,
        title: m.subject,
        body: m.body,
        link: m.link,
        project_id: m.projectId,
        process_id: m.processId,
        task_id: m.taskId,
      }));
    if (rows.length === 0) return;
    await this.prisma.$executeRaw`
      WITH inserted AS (
        INSERT INTO notifications (id, user_id, idempotency_key, kind, title, body, link, project_id, process_id, task_id)
        SELECT gen_random_uuid(), x.user_id, x.key, x.kind, x.title, x.body, x.link, x.project_id, x.process_id, x.task_id
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          AS x(user_id uuid, key text, kind text, title text, body text, link text, project_id text, process_id text, task_id uuid)
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id, user_id)
      SELECT count(pg_notify(${NOTIFICATIONS_PG_CHANNEL}, user_id::text || ':' || id::text)) FROM inserted`;
  }
}
