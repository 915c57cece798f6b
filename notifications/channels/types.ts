/** One delivery as a channel sends it: already rendered, addressed and keyed. */
export interface OutgoingMessage {
  /** Unique per message × recipient × channel; the same on every attempt. */
  idempotencyKey: string;
  channel: string;
  /** The address on the channel: a user id (in-app), an e-mail address, a webhook id. */
  target: string;
  userId: string | null;
  kind: string;
  subject: string;
  body: string;
  link: string | null;
  projectId: string | null;
  processId: string | null;
  taskId: string | null;
}

/**
 * A way of reaching people. Every channel sits behind this one interface, so a new
 * one (SMS) is a class and a line of configuration, not a change to the dispatcher.
 * `send` resolves when the channel accepted the message and throws to be retried;
 * a {@link PermanentDeliveryError} is not retried.
 */
export interface NotificationChannel {
  readonly name: string;
  send(message: OutgoingMessage): Promise<void>;
  /**
   * Sends many at once, all or nothing, where the channel can (in-app: one
   * statement). When it throws, the dispatcher falls back to {@link send} one by one.
   */
  sendBatch?(messages: OutgoingMessage[]): Promise<void>;
  close?(): Promise<void>;
}

/** A failure no retry can fix (no such webhook, an address the server refuses for good). */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}
