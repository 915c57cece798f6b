import type { ProcessDefinition } from '../../../types';
import frozen from '../../frozen/plan-adjustment@1.json';

/**
 * Version 1, superseded by version 2 (`../plan-adjustment.ts`); kept so recorded
 * histories and running instances keep their definition.
 *
 * 5.9 and §4.3.2 — a phase plan adjustment (management may start a temporary
 * correction itself): the supervisor submits the adjusted plan with its reasons;
 * the general manager reviews, revises and adds (revise returns it to the
 * supervisor); management confirms or rejects. Once confirmed, project management
 * adjusts the construction schedule and the sales supervisor checks it is done.
 *
 * Frozen as it was published: its canonical JSON (`../../frozen/plan-adjustment@1.json`) is the
 * definition, so an edit to today's forms or policies cannot change it; never edit
 * that file (test/unit/definition-versions.test.ts holds its checksum).
 */
export const planAdjustmentV1 = frozen as unknown as ProcessDefinition;
