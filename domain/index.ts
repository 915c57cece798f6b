// The product's shared vocabulary: plain types and constants with no imports, so
// the workflow sandbox, the activities, the API and the web app can all use them.
export { SYSTEM_ACTOR, SYSTEM_SENDER, type Actor } from './actor';
export { FailureTypes, type FailureType } from './failures';
export {
  PROCESS_STATUSES,
  STEP_STATUSES,
  TASK_STATUSES,
  UNIT_STATUSES,
  type ProcessStatus,
  type StepStatus,
  type TaskStatus,
  type UnitStatus,
} from './statuses';
export { FIELD_TYPES, type FieldType } from './fields';
export { isUuid } from './ids';
export {
  CUSTOMER_CLASSES,
  CUSTOMER_EVENT_TYPES,
  CUSTOMER_STAGES,
  DEAL_PROBABILITY,
  DEAL_STAGES,
  DEFAULT_CUSTOMER_RULES,
  FOLLOW_UP_CHANNELS,
  maskPhone,
  normalisePhone,
  stageRank,
  type CustomerClass,
  type CustomerEventType,
  type CustomerStage,
  type DealStage,
  type FollowUpChannel,
} from './customers';
export { CHINA_PUBLIC_HOLIDAYS, chinaCalendarDays } from './china-public-holidays';
export { DEFAULT_BUSINESS_TIME_ZONE, businessDate, isTimeZone, utcOffsetMinutes, zonedParts } from './business-time';
export { fenToYuan, instalmentState, MAX_YUAN, refundProblem, sumFen, toFen, type Fen } from './money';
export {
  ANALYTICS_DIMENSIONS,
  ANALYTICS_MEASURES,
  FORECAST_METHOD,
  FUNNEL_STAGES,
  REPORT_KINDS,
  TREND_GRAINS,
  addDays,
  forecastSales,
  funnel,
  isoDate,
  leastSquares,
  ratio,
  reportPeriods,
  utcDate,
  type AnalyticsDimension,
  type AnalyticsMeasure,
  type Figures,
  type Forecast,
  type FunnelStage,
  type FunnelStep,
  type LineFit,
  type Period,
  type Range,
  type ReportKind,
  type TrendGrain,
} from './analytics';
export { localText } from './local-text';
