/** The documented sales procedure (SPEC.md 5.1–5.13) as process definitions. */
export { salesLaunch, planStudy } from './sales-launch';
export { visitorReception, visitorReceptionV2 } from './visitor-reception';
export { subscription, subscriptionV2 } from './subscription';
export { afterSales, contract, discountApproval, orderCancellation, paymentReceipt, paymentSchedule } from './orders';
export { planAdjustment } from './plan-adjustment';
export { marketingPhasePlan } from './marketing-phase-plan';
