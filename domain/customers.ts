// The customer vocabulary (客户): lifecycle stages, classification, follow-up
// channels, phone normalisation and masking. Pure: the workflow sandbox, the
// activities, the API and the web app share it.

/** A customer's lifecycle stage; the processes move it, nobody types it. */
export const CUSTOMER_STAGES = ['visitor', 'intent', 'subscribed', 'signed', 'paid', 'handed_over', 'lost'] as const;
/** One of {@link CUSTOMER_STAGES}. */
export type CustomerStage = (typeof CUSTOMER_STAGES)[number];

/** Classification by intent level (意向程度). */
export const CUSTOMER_CLASSES = ['A', 'B', 'C'] as const;
/** One of {@link CUSTOMER_CLASSES}. */
export type CustomerClass = (typeof CUSTOMER_CLASSES)[number];

/** How a follow-up was made. */
export const FOLLOW_UP_CHANNELS = ['visit', 'phone', 'wechat', 'other'] as const;
/** One of {@link FOLLOW_UP_CHANNELS}. */
export type FollowUpChannel = (typeof FOLLOW_UP_CHANNELS)[number];

/** A deal's stage (商机): the customer's stages from interest on, plus lost. */
export const DEAL_STAGES = ['interest', 'subscribed', 'signed', 'paid', 'handed_over', 'lost'] as const;
/** One of {@link DEAL_STAGES}. */
export type DealStage = (typeof DEAL_STAGES)[number];

/** The probability a deal closes, by stage: data, so that reports agree with the processes. */
export const DEAL_PROBABILITY: Readonly<Record<DealStage, number>> = {
  interest: 0.2,
  subscribed: 0.7,
  signed: 0.9,
  paid: 0.95,
  handed_over: 1,
  lost: 0,
};

/** The order of the stages: a process never moves a customer back (except to `lost`, and a returning visitor out of it). */
export function stageRank(stage: CustomerStage | DealStage): number {
  const order = ['visitor', 'interest', 'intent', 'subscribed', 'signed', 'paid', 'handed_over'];
  return stage === 'lost' ? -1 : order.indexOf(stage);
}

/** Defaults of the customer and order rules; the settings may change them. */
export const DEFAULT_CUSTOMER_RULES = {
  /** Days a customer stays an agent's after the last effective follow-up (保护期). */
  protectionDays: 30,
  /** Discounts (list price − agreed price) an agent may give alone, and a supervisor may approve; above: the GM. */
  discountLimits: { agent: 20_000, supervisor: 100_000 },
} as const;

/**
 * Normalises a mainland mobile number to its 11 digits: `+86 139-1234-5678`,
 * `0086 13912345678`, `139 1234 5678` → `13912345678`. Returns `undefined` for
 * anything that is not a mainland mobile number, so that two spellings of one
 * phone are one customer and a typo is refused rather than stored.
 */
export function normalisePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s\-().\u00a0]/g, '');
  const digits = compact.replace(/^(?:\+86|0086|86(?=1\d{10}$))/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : undefined;
}

/** A phone as someone who may not read it in full sees it: `139****5678`. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** Types of the rows of a customer's timeline besides follow-ups. */
export const CUSTOMER_EVENT_TYPES = [
  'registered',
  'visit',
  'follow_up',
  'classified',
  'stage',
  'transfer',
  'archived',
  'deal_profile',
  'order',
  'payment',
  'refund',
  'cancellation',
  'service_case',
] as const;
/** One of {@link CUSTOMER_EVENT_TYPES}. */
export type CustomerEventType = (typeof CUSTOMER_EVENT_TYPES)[number];
