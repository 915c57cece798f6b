import type { ProcessDefinition } from '../../../types';
import frozen from '../../frozen/plan-adjustment@2.json';

/**
 * Version 2, superseded by version 3 (`../plan-adjustment.ts`), whose adoption task
 * and outcome carry the plan as the review left it; kept so recorded histories and
 * running instances keep their definition.
 *
 * 5.9 and §4.3.2 — a phase plan adjustment, version 2.
 *
 * From a phase summary (5.9): with the annual overall plan unchanged, the
 * supervisor submits the adjusted phase plan and its corrective measures; the
 * general manager reviews, revises and adds (revise returns it to the
 * supervisor); management confirms. From management's own correction (§4.3.2:
 * management "决定临时性修正"): the supervisor's task carries management's
 * instruction, and the general manager reviews it; management does not confirm
 * its own decision. Once confirmed, marketing takes the adjustment into its next
 * plan (5.9 → 5.10), project management adjusts the construction schedule, and
 * the sales team checks the schedule supports sales.
 *
 * Changed from version 1: the management-initiated path, the handover to
 * marketing, and a form without annual totals.
 *
 * Frozen as it was published: its canonical JSON (`../../frozen/plan-adjustment@2.json`) is the
 * definition, so an edit to today's forms or policies cannot change it; never edit
 * that file (test/unit/definition-versions.test.ts holds its checksum).
 */
export const planAdjustmentV2 = frozen as unknown as ProcessDefinition;
