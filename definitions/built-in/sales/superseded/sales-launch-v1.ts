import type { ProcessDefinition } from '../../../types';
import frozen from '../../frozen/sales-launch@1.json';

/**
 * Version 1, superseded by version 2 (`../sales-launch.ts`); kept so recorded
 * histories and running instances keep their definition.
 *
 * 5.1–5.13 — one per project, months long. The team studies the overall plan (one
 * sub-process per member), the four readiness items run in parallel, the project
 * launches, then phases repeat until the project is sold out or management closes
 * it: each phase ends with the AE's analysis and the customer meeting, the three
 * marketing briefs, the phase summary, a plan adjustment if the summary calls for
 * one, and the next phase's marketing plan; then the next phase starts. At the end,
 * the close-out summary. Receptions run as their own `visitor-reception` processes.
 *
 * Frozen as it was published: its canonical JSON (`../../frozen/sales-launch@1.json`) is the
 * definition, so an edit to today's forms or policies cannot change it; never edit
 * that file (test/unit/definition-versions.test.ts holds its checksum).
 */
export const salesLaunchV1 = frozen as unknown as ProcessDefinition;
