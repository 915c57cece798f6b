/** Who acted: a signed-in user, or the system itself (reminders, escalations, automatic decisions). */
export interface Actor {
  userId: string | null;
  username: string;
}

/** The actor of what the workflow does by itself. */
export const SYSTEM_ACTOR: Actor = { userId: null, username: 'system' };

/** In an event's `senders`: the system itself raises it (e.g. sold-out when the last unit is sold). */
export const SYSTEM_SENDER = 'system';
