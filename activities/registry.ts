import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../db/client';
import { ANALYTICS_ACTIVITIES } from './analytics';
import { CUSTOMER_ACTIVITIES } from './customers';
import { ORDER_ACTIVITIES } from './orders';
import { enqueueNotification } from '../notifications/messages';
import { UNIT_ACTIVITIES } from './units';

/** What a registered activity receives besides its input. */
export interface StepActivityContext {
  prisma: PrismaClient;
  processId: string;
  /** The step instance (`scope/stepId`): with the process id, a key for idempotent writes. */
  stepKey: string;
  /** The worker's Temporal client, to tell another process something (the system's events). */
  temporal: () => Client;
}

/** An activity a definition can call by name from an `activity` step. */
export type RegisteredActivity = (input: Record<string, unknown>, context: StepActivityContext) => Promise<unknown>;

const text = (value: unknown, name: string): string => {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`input ${name} must be a non-empty string`);
  return value;
};

/**
 * The activities shipped with the engine. Each is idempotent, so the retries of a
 * step do not act twice.
 */
export const BUILT_IN_STEP_ACTIVITIES: Record<string, RegisteredActivity> = {
  /** Returns its input: wiring variables from one step to another. */
  echo: async (input) => input,
  /**
   * Messages a role (through the outbox). Idempotent: the outbox row is keyed by
   * the process and step, so a retried attempt finds it there.
   */
  'notify.role': async (input, { prisma, processId, stepKey }) => {
    const role = text(input.role, 'role');
    const subject = text(input.subject, 'subject');
    const body = String(input.body ?? '');
    // Resolved to the role's users in the process's project when delivered.
    await enqueueNotification(prisma, {
      kind: 'process.message',
      dedupeKey: `${processId}/${stepKey}`,
      processId,
      role,
      payload: { subject, body },
      summary: { channel: 'role', recipient: role, subject, body },
    });
    return { notified: input.role };
  },
  ...UNIT_ACTIVITIES,
  ...CUSTOMER_ACTIVITIES,
  ...ORDER_ACTIVITIES,
  ...ANALYTICS_ACTIVITIES,
};

/** The names definitions may use, for validation at publish time. */
export const BUILT_IN_STEP_ACTIVITY_NAMES: readonly string[] = Object.keys(BUILT_IN_STEP_ACTIVITIES);
