import { Client as PgClient } from 'pg';

/** What a subscriber of {@link PgNotificationHub} is told. */
export interface PgSubscriber {
  /** A payload sent on the channel with `pg_notify` (after the sender's transaction committed). */
  onPayload: (payload: string) => void;
  /** The LISTEN connection broke: whatever waits on it should end (a stream's client reconnects). */
  onLost: () => void;
}

/**
 * One LISTEN connection per process for Postgres notifications, shared by every
 * subscriber of every channel (in-app notifications, task changes). Opened on the
 * first subscription and closed when the last one leaves, so an idle API holds no
 * extra connection. Notifications are sent by the writers inside their
 * transactions, so a subscriber hears of a change only once it is visible.
 */
export class PgNotificationHub {
  private client: Promise<PgClient> | undefined;
  private readonly subscribers = new Map<string, Set<PgSubscriber>>();
  private listening = new Set<string>();
  private count = 0;

  /** `databaseUrl` is read when the first subscription connects. */
  constructor(private readonly databaseUrl: () => string) {}

  /** Subscribes to `channel`; resolves once it listens, with the unsubscribe. */
  async subscribe(channel: string, subscriber: PgSubscriber): Promise<() => void> {
    let set = this.subscribers.get(channel);
    if (!set) this.subscribers.set(channel, (set = new Set()));
    set.add(subscriber);
    this.count++;
    try {
      const client = await (this.client ??= this.connect());
      if (!this.listening.has(channel)) {
        // Channel names are the code's own constants, never user input.
        await client.query(`LISTEN ${channel}`);
        this.listening.add(channel);
      }
    } catch (err) {
      this.remove(channel, subscriber);
      throw err;
    }
    return () => this.remove(channel, subscriber);
  }

  /** Ends the connection (the API shutting down); subscribers are not told. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.subscribers.clear();
    this.listening = new Set();
    this.count = 0;
    await client?.then((c) => c.end()).catch(() => undefined);
  }

  private remove(channel: string, subscriber: PgSubscriber): void {
    const set = this.subscribers.get(channel);
    if (!set?.delete(subscriber)) return;
    if (set.size === 0) this.subscribers.delete(channel);
    if (--this.count === 0) {
      const client = this.client;
      this.client = undefined;
      this.listening = new Set();
      void client?.then((c) => c.end()).catch(() => undefined);
    }
  }

  private async connect(): Promise<PgClient> {
    const client = new PgClient({ connectionString: this.databaseUrl() });
    client.on('notification', (msg) => {
      for (const s of this.subscribers.get(msg.channel) ?? []) s.onPayload(msg.payload ?? '');
    });
    client.on('error', () => {
      // The next subscription opens a new connection; the current subscribers are told.
      this.client = undefined;
      this.listening = new Set();
      for (const set of this.subscribers.values()) for (const s of set) s.onLost();
    });
    await client.connect();
    return client;
  }
}
