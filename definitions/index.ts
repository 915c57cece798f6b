/** The definition language, its checks, and the built-in process definitions. */
export type * from './types';
export { durationSchema, processDefinitionSchema } from './schema';
export { validateDefinition, walkSteps, InvalidDefinitionError } from './validate';
export type { DefinitionProblem, DefinitionValidation, ValidationContext } from './validate';
export { formSchema } from './forms';
export { canonicalJson, definitionChecksum } from './canonical';
export { twoLevelApproval } from './two-level-approval';

export * from './sales';

import type { ProcessDefinition } from './types';
import { twoLevelApproval } from './two-level-approval';
import { marketingPhasePlan, planAdjustment, planStudy, salesLaunch, subscription, visitorReception } from './sales';

/**
 * Every definition shipped with the engine, children before the processes that
 * start them. Published versions are immutable: change one by adding a version.
 */
export const BUILT_IN_DEFINITIONS: readonly ProcessDefinition[] = [
  twoLevelApproval,
  subscription,
  visitorReception,
  planStudy,
  planAdjustment,
  marketingPhasePlan,
  salesLaunch,
];
