import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PrismaClient } from '../../db/client';
import { PermanentDeliveryError, type NotificationChannel, type OutgoingMessage } from './types';
import { BlockedAddressError, guardedLookup, urlRefusal, type LookupFunction, type WebhookPolicy } from './webhook-guard';

/** A group robot's row, as the channels need it. */
export interface WebhookTarget {
  id: string;
  url: string;
  secret: string | null;
}

/** How a robot post is made. */
export interface RobotPostOptions {
  provider: string;
  timeoutMs: number;
  policy: WebhookPolicy;
  /** The DNS lookup under the guard (tests: a resolver that rebinds). */
  lookup?: LookupFunction;
}

/** The most of a robot's answer that is read (its errcode is at the start). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** The answer of one post: status and the bytes read. */
interface RobotAnswer {
  status: number;
  text: string;
}

/**
 * Posts JSON to a group robot and checks the answer: both WeCom and DingTalk answer
 * 200 with `{"errcode":0}` on success and a non-zero errcode otherwise. Neither
 * deduplicates, so a robot gets a message at least once (a crash between the post
 * and marking it sent re-posts it); the body carries no secrets.
 *
 * The URL is checked again here (it may have been saved before the rules, or the
 * rules tightened since), the address is checked where the socket connects
 * ({@link guardedLookup}), a redirect is not followed, and a failure is reported as
 * a status code or a fixed reason: nothing the other side wrote reaches the
 * dead-letter list, which would otherwise let an admin read an internal service.
 */
export async function postToRobot(url: string, payload: unknown, options: RobotPostOptions): Promise<void> {
  const refusal = urlRefusal(options.provider, url, options.policy);
  if (refusal) throw new PermanentDeliveryError(`webhook refused: ${refusal}`);
  let answer: RobotAnswer;
  try {
    answer = await post(new URL(url), JSON.stringify(payload), options);
  } catch (err) {
    if (err instanceof BlockedAddressError) throw new PermanentDeliveryError(`webhook refused: ${err.message}`);
    if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError') throw new Error('webhook timed out');
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`webhook unreachable${code && /^[A-Z_]+$/.test(code) ? ` (${code})` : ''}`);
  }
  const { status, text } = answer;
  if (status >= 300 && status < 400) throw new PermanentDeliveryError(`webhook answered ${status} (a redirect; not followed)`);
  if (status === 404 || status === 410) throw new PermanentDeliveryError(`webhook answered ${status}`);
  if (status < 200 || status >= 300) throw new Error(`webhook answered ${status}`);
  let parsed: { errcode?: unknown } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // A 2xx without JSON: accepted.
  }
  if (typeof parsed.errcode === 'number' && parsed.errcode !== 0) {
    // The code only: the provider's errmsg is the other side's text.
    throw new Error(`webhook errcode ${Math.trunc(parsed.errcode)}`);
  }
}

/** One POST with node:http(s): no redirects, the guarded lookup, a bounded answer. */
function post(u: URL, body: string, options: RobotPostOptions): Promise<RobotAnswer> {
  return new Promise((resolve, reject) => {
    const request = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      u,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        // A fresh connection each time: a pooled socket would skip the lookup below.
        agent: false,
        lookup: guardedLookup(options.policy, options.lookup) as never,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8', 0, MAX_ANSWER_BYTES) }));
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
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
    private readonly timeoutMs: number,
    private readonly policy: WebhookPolicy,
  ) {}

  /** How this channel posts: its provider's hosts, the timeout, the address guard. */
  protected get postOptions(): RobotPostOptions {
    return { provider: this.name, timeoutMs: this.timeoutMs, policy: this.policy };
  }

  protected abstract post(target: WebhookTarget, m: OutgoingMessage): Promise<void>;

  async send(m: OutgoingMessage): Promise<void> {
    const hook = await this.prisma.notificationWebhook.findUnique({ where: { id: m.target } });
    if (!hook || !hook.active) throw new PermanentDeliveryError(`webhook ${m.target} is gone or inactive`);
    await this.post(hook, m);
  }
}
