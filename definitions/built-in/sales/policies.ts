import type { DeadlinePolicy } from '../../types';

// Default deadline policies of the sales procedure, by who owes the step. Each
// climbs the chain of SPEC.md: agent → supervisor → general manager → management.
// A reminder at half time, then one level up at each multiple of the allowed time.

/** Sales agents, the sales AE and the sales service team: the supervisor is their first level. */
export const agentPolicy: DeadlinePolicy = {
  remindAt: [0.5],
  escalate: [
    { atFraction: 1, toRole: 'sales_supervisor' },
    { atFraction: 2, toRole: 'general_manager' },
    { atFraction: 3, toRole: 'management' },
  ],
};

/** The sales supervisor, marketing, the design consultant: the general manager is their first level. */
export const teamLeadPolicy: DeadlinePolicy = {
  remindAt: [0.5],
  escalate: [
    { atFraction: 1, toRole: 'general_manager' },
    { atFraction: 2, toRole: 'management' },
  ],
};

/** The general manager. */
export const gmPolicy: DeadlinePolicy = { remindAt: [0.5], escalate: [{ atFraction: 1, toRole: 'management' }] };

/** Management: reminded, and there is no one above. */
export const managementPolicy: DeadlinePolicy = { remindAt: [0.5, 0.9] };

/** Work the sales team must watch (project management's schedule change): it comes back to the supervisor first. */
export const monitoredPolicy: DeadlinePolicy = {
  remindAt: [0.5],
  escalate: [
    { atFraction: 1, toRole: 'sales_supervisor' },
    { atFraction: 2, toRole: 'general_manager' },
  ],
};
