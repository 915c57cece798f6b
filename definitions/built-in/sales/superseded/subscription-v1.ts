import type { ProcessDefinition } from '../../../types';
import frozen from '../../frozen/subscription@1.json';

/**
 * Version 1, superseded by version 2 (`../subscription.ts`); kept so recorded
 * histories and running instances keep their definition.
 *
 * 5.5 — a buyer's subscription: deposit (holds the unit; a unit another subscription
 * holds is refused), agreement (or abandonment: the unit is released and the
 * deposit refund recorded), deal-customer archive, handover to sales service.
 *
 * Frozen as it was published: its canonical JSON (`../../frozen/subscription@1.json`) is the
 * definition, so an edit to today's forms or policies cannot change it; never edit
 * that file (test/unit/definition-versions.test.ts holds its checksum).
 */
export const subscriptionV1 = frozen as unknown as ProcessDefinition;
