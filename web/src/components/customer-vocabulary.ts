import type { CustomerStage } from '../api/types';

// What the customer pages share: colours and the sources a reception records.

/** Stage colours: where in the funnel a customer is, at a glance. */
export const STAGE_COLORS: Record<CustomerStage, string> = {
  visitor: 'default',
  intent: 'blue',
  subscribed: 'gold',
  signed: 'green',
  paid: 'cyan',
  handed_over: 'purple',
  lost: 'red',
};

/** The sources a reception or registration records (the definitions' options). */
export const SOURCES = ['walk-in', 'referral', 'online', 'event', 'advertising', 'other'] as const;
