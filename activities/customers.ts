import { ApplicationFailure } from '@temporalio/common';
import { updateCustomerDimensions } from '../db/analytics';
import type { PrismaClient } from '../db/client';
import { appendCustomerEvent, CustomerOwned, moveStage, PhoneInvalid, registerCustomer, rootProcessId } from '../db/customers';
import {
  CUSTOMER_CLASSES,
  CUSTOMER_STAGES,
  FailureTypes,
  FOLLOW_UP_CHANNELS,
  isUuid,
  SYSTEM_ACTOR,
  type Actor,
  type CustomerClass,
  type CustomerStage,
} from '../domain';
import { agentInProject, customerInProject } from './guards';
import type { RegisteredActivity, StepActivityContext } from './registry';

// The customer activities that reception, registration, follow-up and the order
// steps call by name. Stages and classification move only here: never typed twice.

/** A refusal no retry can fix, typed so that the API tells the person why. */
export const invalid = (message: string) => ApplicationFailure.nonRetryable(message, FailureTypes.invalidData);

/** The user behind an id an input maps (the agent), as an actor; the system when there is none. */
export async function actorFor(prisma: PrismaClient, userId: unknown): Promise<Actor> {
  if (!isUuid(userId)) return SYSTEM_ACTOR;
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { username: true } });
  return user ? { userId, username: user.username } : SYSTEM_ACTOR;
}

/** The process's project. */
export async function projectOf(prisma: PrismaClient, processId: string): Promise<string> {
  return (await prisma.processInstance.findUniqueOrThrow({ where: { id: processId }, select: { projectId: true } })).projectId;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const instant = (v: unknown): Date | null => {
  const at = typeof v === 'string' ? new Date(v) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
};
/** The timeline key of one step instance: a retried activity writes its row once. */
const keyOf = (ctx: StepActivityContext) => `${ctx.processId}/${ctx.stepKey}`;

/** Moves the customer and the process tree's deal (see {@link moveStage}). */
export async function stage(
  ctx: StepActivityContext,
  customerId: string,
  to: CustomerStage,
  extra: {
    unitId?: string | null;
    amount?: number | null;
    expectedCloseDate?: Date | null;
    reason?: string | null;
    by?: Actor;
    suffix?: string;
  } = {},
) {
  return moveStage(ctx.prisma, {
    customerId,
    stage: to,
    originProcessId: rootProcessId(ctx.processId),
    unitId: extra.unitId,
    amount: extra.amount,
    expectedCloseDate: extra.expectedCloseDate,
    reason: extra.reason,
    by: extra.by ?? SYSTEM_ACTOR,
    processId: ctx.processId,
    dedupeKey: `${keyOf(ctx)}:stage:${to}${extra.suffix ?? ''}`,
  });
}

/** Days until an intent-level customer is expected to buy: the deal's first expected close date. */
const CLOSE_IN_DAYS: Readonly<Record<CustomerClass, number>> = { A: 30, B: 90, C: 180 };

/** The customer activities, by the names definitions use. */
export const CUSTOMER_ACTIVITIES: Record<string, RegisteredActivity> = {
  /**
   * Finds or creates the customer of a visitor for the agent (报备) and records the
   * visit. Refuses (non-retryable) a phone that is not a mobile number and a customer
   * another agent holds under protection, so the reception's completion is refused
   * with the owner's name. Idempotent: the same agent finds the same customer, and
   * the visit row is keyed by the step.
   */
  'customers.register': async (input, ctx) => {
    const agent = await agentInProject(ctx, input.agentId);
    if (!agent.userId) throw invalid('agentId names no user');
    try {
      return await registerCustomer(ctx.prisma, {
        projectId: await projectOf(ctx.prisma, ctx.processId),
        name: text(input.name) ?? 'unnamed',
        phone: String(input.phone ?? ''),
        agent: { userId: agent.userId, username: agent.username },
        source: text(input.source),
        processId: ctx.processId,
        dedupeKey: keyOf(ctx),
        isVisit: input.isVisit !== false,
      });
    } catch (err) {
      if (err instanceof PhoneInvalid) throw invalid(err.message);
      if (err instanceof CustomerOwned) throw ApplicationFailure.nonRetryable(err.message, FailureTypes.customerOwned);
      throw err;
    }
  },

  /**
   * The intent registration: classification, stage `intent`, the deal opened with
   * the budget, protection from now. Idempotent: the same values set again, the
   * timeline row keyed by the step.
   */
  'customers.classify': async (input, ctx) => {
    const customer = await customerInProject(ctx, input.customerId);
    const level = String(input.intentLevel ?? '');
    if (!(CUSTOMER_CLASSES as readonly string[]).includes(level))
      throw invalid(`intentLevel must be one of ${CUSTOMER_CLASSES.join(', ')}`);
    const by = await agentInProject(ctx, input.agentId);
    await ctx.prisma.$transaction(async (tx) => {
      await updateCustomerDimensions(tx, customer.id, {
        classification: level,
        protectedFrom: new Date(),
        ...(text(input.source) ? { source: text(input.source) } : {}),
      });
      await appendCustomerEvent(tx, customer.id, by, {
        type: 'classified',
        processId: ctx.processId,
        dedupeKey: keyOf(ctx),
        notes: text(input.needs),
        nextContactAt: instant(input.nextContactAt),
        data: { intentLevel: level },
      });
    });
    const budget = typeof input.budget === 'number' ? input.budget : null;
    // A first guess of the closing date by intent level; the subscription's signing deadline replaces it.
    const expectedCloseDate = new Date(Date.now() + CLOSE_IN_DAYS[level as CustomerClass]! * 86_400_000);
    return stage(ctx, customer.id, 'intent', { amount: budget, expectedCloseDate, by });
  },

  /**
   * One follow-up (跟踪): when, how, by whom, result, next contact. An effective
   * contact: protection runs from it. A `lost` result moves the customer and the
   * deal to lost with the notes as the reason. Idempotent: keyed by the step.
   */
  'customers.followUp': async (input, ctx) => {
    const customer = await customerInProject(ctx, input.customerId);
    const by = await agentInProject(ctx, input.agentId);
    const channel = String(input.channel ?? 'other');
    if (!(FOLLOW_UP_CHANNELS as readonly string[]).includes(channel))
      throw invalid(`channel must be one of ${FOLLOW_UP_CHANNELS.join(', ')}`);
    const level = text(input.intentLevel);
    await ctx.prisma.$transaction(async (tx) => {
      const fresh = await appendCustomerEvent(tx, customer.id, by, {
        type: 'follow_up',
        channel,
        result: text(input.result),
        notes: text(input.notes),
        nextContactAt: instant(input.nextContactAt),
        processId: ctx.processId,
        dedupeKey: keyOf(ctx),
      });
      if (fresh)
        await updateCustomerDimensions(tx, customer.id, { protectedFrom: new Date(), ...(level ? { classification: level } : {}) });
    });
    if (input.result === 'lost') return stage(ctx, customer.id, 'lost', { reason: text(input.notes), by });
    return { customerId: customer.id };
  },

  /**
   * Moves a customer (and the deal of this process tree) to a stage: forward only,
   * `lost` with a reason. Idempotent (see `moveStage`).
   */
  'customers.stage': async (input, ctx) => {
    const customer = await customerInProject(ctx, input.customerId);
    const to = String(input.stage ?? '');
    if (!(CUSTOMER_STAGES as readonly string[]).includes(to)) throw invalid(`stage must be one of ${CUSTOMER_STAGES.join(', ')}`);
    return stage(ctx, customer.id, to as CustomerStage, {
      reason: text(input.reason),
      unitId: isUuid(input.unitId) ? input.unitId : null,
      amount: typeof input.amount === 'number' ? input.amount : null,
      by: await agentInProject(ctx, input.agentId),
    });
  },

  /**
   * 《成交客户档案》: the deal customer's household, occupation, age band and motive,
   * kept on the customer with the unit and price. Idempotent: an overwrite with the
   * same values; the timeline row keyed by the step.
   */
  'customers.dealProfile': async (input, ctx) => {
    const customer = await customerInProject(ctx, input.customerId);
    const form = (input.form ?? {}) as Record<string, unknown>;
    const profile = {
      household: text(form.household),
      occupation: text(form.occupation),
      ageBand: text(form.ageBand),
      motive: text(form.motive),
      unitId: isUuid(input.unitId) ? input.unitId : null,
      price: typeof input.price === 'number' ? input.price : null,
    };
    const by = await agentInProject(ctx, input.agentId);
    await ctx.prisma.$transaction(async (tx) => {
      await tx.customer.update({ where: { id: customer.id }, data: { household: profile } });
      await appendCustomerEvent(tx, customer.id, by, {
        type: 'deal_profile',
        processId: ctx.processId,
        dedupeKey: keyOf(ctx),
        data: profile,
      });
    });
    return profile;
  },
};
