/** The documented sales procedure (SPEC.md 5.1–5.13) as process definitions. */
export { salesLaunch, planStudy } from './sales-launch';
export { visitorReception } from './visitor-reception';
export { subscription } from './subscription';
export { planAdjustment } from './plan-adjustment';
export { marketingPhasePlan } from './marketing-phase-plan';
