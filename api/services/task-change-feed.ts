import type { PgNotificationHub } from '../../db/pg-notifications';
import { TASK_CHANGES_CHANNEL, type TaskChange } from '../../db/task-changes';

/** Something waiting for a change it is about to cause. */
export interface ChangeWaiter {
  /** Resolves true when a matching change arrived (before or during the wait), false after `timeoutMs`. */
  wait(timeoutMs: number): Promise<boolean>;
}

/**
 * The API's view of task changes: the activities announce each one in their
 * transaction (`db/task-changes.ts`), and this feed hears them on the API's one
 * LISTEN connection. It lets a start return the first tasks without polling, and
 * streams changes to the web app. Listening starts with the first use and lasts
 * for the process; a lost connection is listened again on the next use.
 */
export class TaskChangeFeed {
  private readonly listeners = new Set<(change: TaskChange) => void>();
  private readonly lostHandlers = new Set<() => void>();
  private ready: Promise<void> | undefined;

  constructor(private readonly hub: PgNotificationHub) {}

  /** Calls `listener` with every change from now on; resolves with the unsubscribe once listening. */
  async listen(listener: (change: TaskChange) => void, onLost?: () => void): Promise<() => void> {
    await this.ensureListening();
    this.listeners.add(listener);
    const lost = onLost ? () => onLost() : undefined;
    if (lost) this.lostHandlers.add(lost);
    return () => {
      this.listeners.delete(listener);
      if (lost) this.lostHandlers.delete(lost);
    };
  }

  /**
   * Starts listening for a change that `match` accepts, before the caller does what
   * causes it, so that a change announced meanwhile is not missed.
   */
  async prepare(match: (change: TaskChange) => boolean): Promise<ChangeWaiter> {
    let seen = false;
    let wake = () => {};
    const unsubscribe = await this.listen((change) => {
      if (!seen && match(change)) {
        seen = true;
        wake();
      }
    });
    return {
      wait: async (timeoutMs) => {
        try {
          if (!seen) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, timeoutMs);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
          return seen;
        } finally {
          unsubscribe();
        }
      },
    };
  }

  private ensureListening(): Promise<void> {
    this.ready ??= this.hub
      .subscribe(TASK_CHANGES_CHANNEL, {
        onPayload: (payload) => {
          let change: TaskChange;
          try {
            change = JSON.parse(payload) as TaskChange;
          } catch {
            return;
          }
          for (const listener of this.listeners) listener(change);
        },
        onLost: () => {
          this.ready = undefined;
          for (const lost of this.lostHandlers) lost();
        },
      })
      .then(
        () => undefined,
        (err: unknown) => {
          this.ready = undefined;
          throw err;
        },
      );
    return this.ready;
  }
}
