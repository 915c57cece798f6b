import type { PrismaClient } from '../../db/client';
import { PermanentDeliveryError, type NotificationChannel, type OutgoingMessage } from './types';

/** A group robot's row, as the channels need it. */
export interface WebhookTarget {
  id: string;
  url: string;
  secret: string | null;
}

/**
 * Posts JSON to a group robot and checks the answer: both WeCom and DingTalk answer
 * 200 with `{"errcode":0}` on success and a non-zero errcode otherwise. Neither
 * deduplicates, so a robot gets a message at least once (a crash between the post
 * and marking it sent re-posts it); the body carries no secrets.
 */
export async function postToRobot(url: string, payload: unknown, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (res.status === 404 || res.status === 410) throw new PermanentDeliveryError(`webhook answered ${res.status}`);
  if (!res.ok) throw new Error(`webhook answered ${res.status}: ${text.slice(0, 200)}`);
  let answer: { errcode?: unknown; errmsg?: unknown } = {};
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    // A 2xx without JSON: accepted.
  }
  if (typeof answer.errcode === 'number' && answer.errcode !== 0) {
    throw new Error(`webhook errcode ${answer.errcode}: ${String(answer.errmsg ?? '')}`);
  }
}

/** The markdown a robot posts: subject as a heading, then the body and the link. */
export function robotMarkdown(m: OutgoingMessage): string {
  return `### ${m.subject}\n\n${m.body.replace(/\n\n[^\n]*: (https?:\/\/\S+)$/, '')}${m.link ? `\n\n[${m.link}](${m.link})` : ''}`;
}

/**
 * The base of the robot channels: looks the robot up by id when sending, so an
 * admin's change (new URL, new secret, deactivation) applies to pending messages.
 */
export abstract class RobotChannel implements NotificationChannel {
  abstract readonly name: string;

  constructor(
    private readonly prisma: PrismaClient,
    protected readonly timeoutMs: number,
  ) {}

  protected abstract post(target: WebhookTarget, m: OutgoingMessage): Promise<void>;

  async send(m: OutgoingMessage): Promise<void> {
    const hook = await this.prisma.notificationWebhook.findUnique({ where: { id: m.target } });
    if (!hook || !hook.active) throw new PermanentDeliveryError(`webhook ${m.target} is gone or inactive`);
    await this.post(hook, m);
  }
}
