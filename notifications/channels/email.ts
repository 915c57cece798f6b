import { createHash } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import { PermanentDeliveryError, type NotificationChannel, type OutgoingMessage } from './types';

/** What the e-mail channel needs from the configuration. */
export interface EmailOptions {
  smtpUrl: string;
  from: string;
  /** The Message-ID's domain: the web app's host. */
  domain: string;
  timeoutMs: number;
}

/**
 * E-mail over SMTP (nodemailer). At-least-once, deduplicated downstream: the
 * Message-ID is derived from the idempotency key, so a message re-sent after a
 * crash between sending and marking it sent carries the same Message-ID and mail
 * systems (and our tests) treat the two as one.
 */
export class EmailChannel implements NotificationChannel {
  readonly name = 'email';
  private readonly transport: Transporter;

  constructor(private readonly options: EmailOptions) {
    // Options in the URL's query (e.g. ?ignoreTLS=true) are nodemailer's own.
    this.transport = createTransport({
      url: options.smtpUrl,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    });
  }

  /** The Message-ID of a delivery: stable across attempts. */
  static messageId(idempotencyKey: string, domain: string): string {
    return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
  }

  async send(m: OutgoingMessage): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: m.target,
        subject: m.subject,
        text: m.body,
        messageId: EmailChannel.messageId(m.idempotencyKey, this.options.domain),
        headers: { 'X-Notification-Key': m.idempotencyKey },
      });
    } catch (err) {
      // 5xx answers to the envelope mean the server refuses this message for good.
      const code = (err as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500 && code < 600)
        throw new PermanentDeliveryError(`SMTP ${code}: ${(err as Error).message}`, { cause: err });
      throw err;
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
