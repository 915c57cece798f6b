/** Who acted: a signed-in user, or the system itself (reminders, escalations, automatic decisions). */
export interface Actor {
  userId: string | null;
  username: string;
}

/** The actor of what the workflow does by itself. */
export const SYSTEM_ACTOR: Actor = { userId: null, username: 'system' };
