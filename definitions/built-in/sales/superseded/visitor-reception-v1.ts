import type { ProcessDefinition } from '../../../types';
import frozen from '../../frozen/visitor-reception@1.json';

/**
 * Version 1, superseded by version 2 (`../visitor-reception.ts`); kept so recorded
 * histories and running instances keep their definition.
 *
 * 5.4–5.6 — one visitor: reception; a buyer goes into subscription; anyone else is
 * registered by intent level and followed up at a cadence set by that level (or at
 * the next contact the agent planned) until they buy or are lost. A registered
 * visitor who comes back and buys goes into subscription from this same process.
 *
 * Frozen as it was published: its canonical JSON (`../../frozen/visitor-reception@1.json`) is the
 * definition, so an edit to today's forms or policies cannot change it; never edit
 * that file (test/unit/definition-versions.test.ts holds its checksum).
 */
export const visitorReceptionV1 = frozen as unknown as ProcessDefinition;
