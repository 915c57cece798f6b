// The process definitions shipped with the engine: content, written in the
// definition language of the folder above. Nothing here is part of the language.
export { twoLevelApproval, twoLevelApprovalV1 } from './two-level-approval';

export * from './sales';
export { START_POLICY, startPolicyOf } from './start-policy';

import type { ProcessDefinition } from '../types';
import { twoLevelApproval } from './two-level-approval';
import {
  afterSales,
  contract,
  discountApproval,
  marketingExecution,
  marketingPhasePlan,
  orderCancellation,
  paymentReceipt,
  paymentSchedule,
  planAdjustment,
  planStudy,
  salesLaunch,
  subscription,
  visitorReception,
} from './sales';

/**
 * Every definition shipped with the engine and offered for new instances, children
 * before the processes that start them. Published versions are immutable: change
 * one by adding a version. A superseded version leaves this list (it stays in the
 * database where it was published, for the instances that run it).
 */
export const BUILT_IN_DEFINITIONS: readonly ProcessDefinition[] = [
  twoLevelApproval,
  discountApproval,
  paymentReceipt,
  paymentSchedule,
  contract,
  subscription,
  visitorReception,
  orderCancellation,
  afterSales,
  planStudy,
  planAdjustment,
  marketingPhasePlan,
  marketingExecution,
  salesLaunch,
];
