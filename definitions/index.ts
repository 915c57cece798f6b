/** The built-in process definitions and the definition language. */
export type * from './types';
export { processDefinitionSchema } from './schema';
export { validateDefinition, InvalidDefinitionError } from './validate';
export type { DefinitionProblem, DefinitionValidation } from './validate';
export { formSchema } from './forms';
export { twoLevelApproval } from './two-level-approval';

import type { ProcessDefinition } from './types';
import { twoLevelApproval } from './two-level-approval';

/** Every definition shipped with the engine, newest version last per key. */
export const BUILT_IN_DEFINITIONS: readonly ProcessDefinition[] = [twoLevelApproval];
