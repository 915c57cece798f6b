// The process definitions shipped with the engine: content, written in the
// definition language of the folder above. Nothing here is part of the language.
export { twoLevelApproval } from './two-level-approval';

export * from './sales';

import type { ProcessDefinition } from '../types';
import { twoLevelApproval } from './two-level-approval';
import {
  afterSales,
  contract,
  discountApproval,
  marketingPhasePlan,
  orderCancellation,
  paymentReceipt,
  paymentSchedule,
  planAdjustment,
  planStudy,
  salesLaunch,
  subscription,
  subscriptionV2,
  visitorReception,
  visitorReceptionV2,
} from './sales';

/**
 * Every definition shipped with the engine, children before the processes that
 * start them. Published versions are immutable: change one by adding a version.
 */
export const BUILT_IN_DEFINITIONS: readonly ProcessDefinition[] = [
  twoLevelApproval,
  discountApproval,
  paymentReceipt,
  paymentSchedule,
  contract,
  subscription,
  subscriptionV2,
  visitorReception,
  visitorReceptionV2,
  orderCancellation,
  afterSales,
  planStudy,
  planAdjustment,
  marketingPhasePlan,
  salesLaunch,
];
