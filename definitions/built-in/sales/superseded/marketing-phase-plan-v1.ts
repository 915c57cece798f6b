import type { ProcessDefinition } from '../../../types';
import frozen from '../../frozen/marketing-phase-plan@1.json';

/**
 * Version 1, superseded by version 2 (`../marketing-phase-plan.ts`); kept so recorded
 * histories and running instances keep their definition.
 *
 * 5.10–5.11 — the next phase's marketing: marketing proposes the direction and
 * records the agency's strategy and plan; the sales supervisor AND the general
 * manager must both approve (revise returns it to marketing); then execution —
 * advertising, events, channels, outdoor packaging, and the design consultant's
 * show flat, reception hall and sales path updates — and the sales team checks it
 * is complete.
 *
 * Frozen as it was published: its canonical JSON (`../../frozen/marketing-phase-plan@1.json`) is the
 * definition, so an edit to today's forms or policies cannot change it; never edit
 * that file (test/unit/definition-versions.test.ts holds its checksum).
 */
export const marketingPhasePlanV1 = frozen as unknown as ProcessDefinition;
