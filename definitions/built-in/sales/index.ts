/** The documented sales procedure (SPEC.md 5.1–5.13) as process definitions. */
export { salesLaunch } from './sales-launch';
export { planStudy } from './plan-study';
export { visitorReception } from './visitor-reception';
export { subscription } from './subscription';
export { afterSales, contract, discountApproval, orderCancellation, paymentReceipt, paymentSchedule } from './orders';
export { planAdjustment } from './plan-adjustment';
export { marketingPhasePlan } from './marketing-phase-plan';
export { marketingExecution } from './marketing-execution';

// Superseded versions: not offered for new instances, kept for the recorded
// histories and for the instances that started with them.
export { salesLaunchV1 } from './superseded/sales-launch-v1';
export { salesLaunchV2 } from './superseded/sales-launch-v2';
export { salesLaunchV3 } from './superseded/sales-launch-v3';
export { salesLaunchV4 } from './superseded/sales-launch-v4';
export { planAdjustmentV1 } from './superseded/plan-adjustment-v1';
export { planAdjustmentV2 } from './superseded/plan-adjustment-v2';
export { marketingPhasePlanV1 } from './superseded/marketing-phase-plan-v1';
export { visitorReceptionV1 } from './superseded/visitor-reception-v1';
export { subscriptionV1 } from './superseded/subscription-v1';
