import { ApplicationFailure } from '@temporalio/common';
import { appendAudit } from '../db/audit';
import { appendCustomerEvent, moveStage, readCustomerRules, rootProcessId } from '../db/customers';
import { FailureTypes, fenToYuan, instalmentState, isUuid, refundProblem, SYSTEM_ACTOR, toFen } from '../domain';
import { receivedFen } from '../db/orders';
import { actorFor, invalid, projectOf, stage } from './customers';
import { agentInProject, customerInProject, orderInProject } from './guards';
import type { RegisteredActivity, StepActivityContext } from './registry';
import { moveUnit, raiseSoldOutIfLast, releaseHeldUnit } from './units';

// The order activities: subscription (认购书), contract (签约) with its discount
// level, payment schedule and receipts (回款), cancellation and refund (退订/退房),
// and after-sales cases. Units move with the orders, in the same activities.

const PAYMENT_METHODS = ['full', 'instalments', 'mortgage'];
const money = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim().length > 0 ? v : null);
const formOf = (input: Record<string, unknown>) => (input.form ?? {}) as Record<string, unknown>;
const keyOf = (ctx: StepActivityContext) => `${ctx.processId}/${ctx.stepKey}`;
const notActive = (message: string) => ApplicationFailure.nonRetryable(message, FailureTypes.orderNotActive);

/** An order an input names, of the process's project (see guards.ts). */
const orderOf = (ctx: StepActivityContext, value: unknown) => orderInProject(ctx, value);

/** A process tree still running (or failing) under `rootId`: a cancellation must wait for it to end. */
async function runningUnder(ctx: StepActivityContext, rootId: string): Promise<string | undefined> {
  const running = await ctx.prisma.processInstance.findFirst({
    where: { OR: [{ id: rootId }, { id: { startsWith: `${rootId}/` } }], status: { in: ['running', 'failing'] } },
    select: { id: true },
  });
  return running?.id;
}

/** The 认购书's fields that must be there when it is signed. */
function missingForSignature(form: Record<string, unknown>): string[] {
  const missing: string[] = [];
  if (!text(form.agreementNo)) missing.push('agreementNo');
  if (money(form.price) === null) missing.push('price');
  if (!PAYMENT_METHODS.includes(String(form.paymentMethod))) missing.push('paymentMethod');
  if (money(form.depositCredited) === null) missing.push('depositCredited');
  if (!text(form.signingDeadline)) missing.push('signingDeadline');
  const buyers = Array.isArray(form.buyers) ? (form.buyers as Record<string, unknown>[]) : [];
  if (buyers.length === 0) missing.push('buyers');
  buyers.forEach((b, i) => ['name', 'idNumber', 'phone'].forEach((f) => !text(b?.[f]) && missing.push(`buyers.${i}.${f}`)));
  return missing;
}

/** The order activities, by the names definitions use. */
export const ORDER_ACTIVITIES: Record<string, RegisteredActivity> = {
  /**
   * The subscription agreement (认购书) as an order. Signed: every field it needs
   * must be there (refused otherwise, naming them), the order is written with the
   * discount from the unit's list price, and the customer and deal move to
   * `subscribed`. Abandoned: nothing is written. Idempotent: one order per
   * process and kind (an upsert), stage moves forward only.
   */
  'orders.subscribe': async (input, ctx) => {
    const form = formOf(input);
    if (form.result !== 'signed') return { result: form.result ?? 'abandoned' };
    const missing = missingForSignature(form);
    if (missing.length) throw invalid(`A signed subscription agreement needs: ${missing.join(', ')}`);
    const customer = await customerInProject(ctx, input.customerId);
    if (!isUuid(input.unitId)) throw invalid('unitId names no unit');
    const unit = await ctx.prisma.unit.findUniqueOrThrow({ where: { id: input.unitId } });
    const price = money(form.price)!;
    const listPrice = Number(unit.listPrice);
    const data = {
      projectId: customer.projectId,
      customerId: customer.id,
      unitId: unit.id,
      agentId: isUuid(input.agentId) ? input.agentId : null,
      holderProcessId: ctx.processId,
      number: text(form.agreementNo),
      listPrice,
      price,
      discount: Math.max(0, listPrice - price),
      paymentMethod: String(form.paymentMethod),
      deposit: money(form.depositCredited),
      signingDeadline: new Date(String(form.signingDeadline)),
      buyers: form.buyers as object,
      status: 'signed',
      signedAt: new Date(),
    };
    const order = await ctx.prisma.salesOrder.upsert({
      where: { processId_kind: { processId: ctx.processId, kind: 'subscription' } },
      create: { ...data, kind: 'subscription', processId: ctx.processId },
      update: data,
    });
    const by = await agentInProject(ctx, input.agentId);
    await appendCustomerEvent(ctx.prisma, customer.id, by, {
      type: 'order',
      processId: ctx.processId,
      dedupeKey: keyOf(ctx),
      data: { orderId: order.id, kind: 'subscription', number: order.number, price },
    });
    await stage(ctx, customer.id, 'subscribed', { unitId: unit.id, amount: price, expectedCloseDate: data.signingDeadline, by });
    return { result: 'signed', orderId: order.id, discount: data.discount };
  },

  /**
   * The contract's terms: agreed price, payment method and instalments (which must
   * add up to the price). Works out the discount below the list price and who must
   * approve it from the limits in the settings: `agent` (no one), `sales_supervisor`
   * or `general_manager`. The unit must be subscribed by this customer. Idempotent:
   * one contract per process (an upsert); a new round of terms replaces the draft.
   */
  'orders.quote': async (input, ctx) => {
    const form = formOf(input);
    const customer = await customerInProject(ctx, input.customerId);
    const subscription = await ctx.prisma.salesOrder.findFirst({
      where: { customerId: customer.id, unitId: String(input.unitId), kind: 'subscription', status: 'signed' },
      orderBy: { createdAt: 'desc' },
    });
    if (!subscription || !isUuid(input.unitId)) throw invalid('The unit has no signed subscription of this customer');
    const price = money(form.agreedPrice);
    if (price === null || price <= 0) throw invalid('agreedPrice is required');
    const method = String(form.paymentMethod);
    if (!PAYMENT_METHODS.includes(method)) throw invalid(`paymentMethod must be one of ${PAYMENT_METHODS.join(', ')}`);
    const instalments = Array.isArray(form.instalments) ? (form.instalments as { dueDate?: unknown; amount?: unknown }[]) : [];
    if (instalments.length === 0) throw invalid('instalments: at least one');
    if (method === 'full' && instalments.length !== 1) throw invalid('instalments: a full payment is one instalment');
    const total = instalments.reduce((sum, i) => sum + (toFen(i.amount) ?? 0), 0);
    if (total !== toFen(price)) throw invalid(`instalments add up to ${fenToYuan(total)}, not the agreed price ${price}`);
    const listPrice = Number(subscription.listPrice);
    const discount = Math.max(0, listPrice - price);
    const { discountLimits } = await readCustomerRules(ctx.prisma);
    const level =
      discount <= discountLimits.agent ? 'agent' : discount <= discountLimits.supervisor ? 'sales_supervisor' : 'general_manager';
    const data = {
      projectId: customer.projectId,
      customerId: customer.id,
      unitId: subscription.unitId,
      agentId: isUuid(input.agentId) ? input.agentId : null,
      holderProcessId: subscription.holderProcessId,
      listPrice,
      price,
      discount,
      paymentMethod: method,
      approvalLevel: level,
      status: 'draft',
    };
    const order = await ctx.prisma.salesOrder.upsert({
      where: { processId_kind: { processId: ctx.processId, kind: 'contract' } },
      create: { ...data, kind: 'contract', processId: ctx.processId },
      update: data,
    });
    return { orderId: order.id, listPrice, discount, level };
  },

  /** The discount is approved (or needed none). Idempotent: only a draft moves. */
  'orders.approve': async (input, ctx) => {
    const order = await orderOf(ctx, input.orderId);
    await ctx.prisma.salesOrder.updateMany({ where: { id: order.id, status: 'draft' }, data: { status: 'approved' } });
    return { approved: true, orderId: order.id };
  },

  /**
   * The contract is signed (签约): the unit is sold to the holder, the customer and
   * deal move to `signed`. Idempotent: the unit move, the sold-out event (keyed by
   * project) and the stage move are, and the order update sets the same values again.
   */
  'orders.sign': async (input, ctx) => {
    const order = await orderOf(ctx, input.orderId);
    if (!['approved', 'signed'].includes(order.status)) throw notActive(`Contract ${order.id} is ${order.status}, not approved`);
    const form = formOf(input);
    const contractNo = text(form.contractNo);
    if (!contractNo) throw invalid('contractNo is required');
    await moveUnit(ctx.prisma, order.holderProcessId, order.unitId, ['subscribed'], 'sold');
    // The last unit sold tells the project's launch it is sold out, as a handover does in version 1.
    await raiseSoldOutIfLast(ctx, order.unitId);
    await ctx.prisma.salesOrder.update({
      where: { id: order.id },
      data: { status: 'signed', number: contractNo, signedAt: text(form.signedAt) ? new Date(String(form.signedAt)) : new Date() },
    });
    const by = await actorFor(ctx.prisma, order.agentId);
    await appendCustomerEvent(ctx.prisma, order.customerId, by, {
      type: 'order',
      processId: ctx.processId,
      dedupeKey: keyOf(ctx),
      data: { orderId: order.id, kind: 'contract', number: contractNo, price: Number(order.price), discount: Number(order.discount) },
    });
    await stage(ctx, order.customerId, 'signed', { unitId: order.unitId, amount: Number(order.price), by });
    return { orderId: order.id, signed: true };
  },

  /**
   * The payment schedule: one row per instalment. Idempotent: keyed by order and
   * sequence number (an insert that skips the rows already there).
   */
  'orders.schedule': async (input, ctx) => {
    const order = await orderOf(ctx, input.orderId);
    const items = (Array.isArray(input.instalments) ? input.instalments : []) as { dueDate?: unknown; amount?: unknown }[];
    const rows = items.map((item, i) => ({
      orderId: order.id,
      seq: i + 1,
      dueAt: new Date(String(item.dueDate)),
      amount: money(item.amount) ?? 0,
    }));
    if (rows.some((r) => Number.isNaN(r.dueAt.getTime()))) throw invalid('every instalment needs a due date');
    await ctx.prisma.payment.createMany({ data: rows, skipDuplicates: true });
    return { instalments: rows.map((r) => ({ seq: r.seq, dueAt: r.dueAt.toISOString(), amount: r.amount })) };
  },

  /**
   * A receipt (回款) of one instalment. Receipts add up (in fen, exactly): the
   * instalment is paid — `paidAt` set — only once they cover its amount; a short one
   * stays open with what is missing, an over-payment is shown as such on the order.
   * Idempotent: the timeline row is keyed by the step and the sum grows only in the
   * transaction that wrote it, so a retried attempt adds nothing.
   */
  'orders.receipt': async (input, ctx) => {
    const order = await orderOf(ctx, input.orderId);
    const form = formOf(input);
    const amountFen = toFen(form.amount);
    if (amountFen === null || amountFen <= 0) throw invalid('amount must be a positive amount of at most two decimals');
    const seq = Number(input.seq);
    const paidAt = text(form.paidAt) ? new Date(String(form.paidAt)) : new Date();
    const by = await actorFor(ctx.prisma, order.agentId);
    return ctx.prisma.$transaction(async (tx) => {
      // The instalment's row locked first: two receipts of one instalment add up one after the other.
      const [instalment] = await tx.$queryRaw<{ amount: string; paid: string | null }[]>`
        SELECT amount::text AS amount, paid_amount::text AS paid FROM payments WHERE order_id = ${order.id}::uuid AND seq = ${seq} FOR UPDATE`;
      if (!instalment) throw invalid(`Contract ${order.id} has no instalment ${seq}`);
      const fresh = await appendCustomerEvent(tx, order.customerId, by, {
        type: 'payment',
        processId: ctx.processId,
        dedupeKey: keyOf(ctx),
        data: { orderId: order.id, seq, amount: fenToYuan(amountFen) },
      });
      const receivedFen = (toFen(instalment.paid ?? '0') ?? 0) + (fresh ? amountFen : 0);
      const state = instalmentState(toFen(instalment.amount) ?? 0, receivedFen);
      if (fresh)
        await tx.payment.update({
          where: { orderId_seq: { orderId: order.id, seq } },
          data: { paidAmount: fenToYuan(receivedFen), paidAt: state.covered ? paidAt : null, method: text(form.method) },
        });
      return {
        seq,
        paid: fenToYuan(amountFen),
        received: fenToYuan(receivedFen),
        covered: state.covered,
        short: fenToYuan(state.shortFen),
        over: fenToYuan(state.overFen),
      };
    });
  },

  /** Every instalment received: the customer and deal move to `paid`. Idempotent: stage moves forward only. */
  'orders.paid': async (input, ctx) => {
    const order = await orderOf(ctx, input.orderId);
    const open = await ctx.prisma.payment.count({ where: { orderId: order.id, paidAt: null } });
    if (open > 0) return { allPaid: false, open };
    await moveStage(ctx.prisma, {
      customerId: order.customerId,
      stage: 'paid',
      originProcessId: rootProcessId(order.holderProcessId),
      by: SYSTEM_ACTOR,
      processId: ctx.processId,
      dedupeKey: `${keyOf(ctx)}:stage:paid`,
    });
    return { allPaid: true };
  },

  /**
   * Whether an order can be cancelled, and after what: `contract` when a signed
   * contract holds the unit, otherwise `subscription`. Refuses an order already
   * cancelled, or whose process is still running (cancel that process first).
   */
  'orders.checkCancellation': async (input, ctx) => {
    const order = await orderOf(ctx, input.orderId);
    if (order.status === 'cancelled') throw notActive(`Order ${order.id} is already cancelled`);
    const running = await runningUnder(ctx, rootProcessId(order.holderProcessId));
    if (running) throw notActive(`Process ${running} still runs this order: cancel it first`);
    const contract = await ctx.prisma.salesOrder.findFirst({
      where: { holderProcessId: order.holderProcessId, kind: 'contract', status: 'signed' },
    });
    return { after: contract ? 'contract' : 'subscription', orderId: order.id };
  },

  /**
   * The approved cancellation (退订/退房): the unit is released, every order on it
   * is cancelled, the refund is recorded as owed, and the customer and deal are
   * lost with the reason. Idempotent: keyed by this process's refund row; the unit
   * release is a no-op on an available unit.
   */
  'orders.cancel': async (input, ctx) => {
    const order = await orderOf(ctx, input.orderId);
    const done = await ctx.prisma.refund.findUnique({ where: { processId: ctx.processId } });
    if (done) return { refundId: done.id, unitId: order.unitId };
    if (order.status === 'cancelled') throw notActive(`Order ${order.id} is already cancelled`);
    const reason = text(input.reason) ?? 'cancelled';
    const amountFen = toFen(input.amount ?? 0);
    if (amountFen === null) throw invalid('amount must be an amount of at most two decimals');
    const capProblem = refundProblem(amountFen, await receivedFen(ctx.prisma, order));
    if (capProblem) throw invalid(capProblem);
    const amount = fenToYuan(amountFen);
    const contract = await ctx.prisma.salesOrder.findFirst({
      where: { holderProcessId: order.holderProcessId, unitId: order.unitId, kind: 'contract', status: 'signed' },
    });
    const agent = await actorFor(ctx.prisma, order.agentId);
    await releaseHeldUnit(ctx.prisma, order.holderProcessId, order.unitId);
    const refund = await ctx.prisma.$transaction(async (tx) => {
      // The claim: of two cancellations approved at once, one cancels the order (the row
      // lock orders them) and the other finds it cancelled and refunds nothing; the
      // unique order of `refunds` holds it in the database as well.
      const claimed = await tx.salesOrder.updateMany({
        where: { id: order.id, status: { not: 'cancelled' } },
        data: { status: 'cancelled', cancelledAt: new Date() },
      });
      if (claimed.count === 0) throw notActive(`Order ${order.id} is already cancelled`);
      await tx.salesOrder.updateMany({
        where: { holderProcessId: order.holderProcessId, unitId: order.unitId, status: { not: 'cancelled' } },
        data: { status: 'cancelled', cancelledAt: new Date() },
      });
      const created = await tx.refund.create({ data: { orderId: order.id, processId: ctx.processId, reason, amount } });
      // The cancellation as a fact of the customer's timeline (and so of the analytics):
      // of the contract when one was signed on the unit, else of the subscription.
      const cancelled = contract ?? order;
      await appendCustomerEvent(tx, order.customerId, agent, {
        type: 'cancellation',
        processId: ctx.processId,
        dedupeKey: `${keyOf(ctx)}:cancellation`,
        notes: reason,
        data: { orderId: cancelled.id, kind: cancelled.kind, price: Number(cancelled.price), refund: amount },
      });
      await appendAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: 'order.cancel',
        objectType: 'order',
        objectId: order.id,
        after: { reason, refund: amount },
      });
      return created;
    });
    await moveStage(ctx.prisma, {
      customerId: order.customerId,
      stage: 'lost',
      originProcessId: rootProcessId(order.holderProcessId),
      reason,
      by: SYSTEM_ACTOR,
      processId: ctx.processId,
      dedupeKey: `${keyOf(ctx)}:stage:lost`,
    });
    return { refundId: refund.id, unitId: order.unitId };
  },

  /**
   * The refund paid out: the approved amount, or the one the paying step states —
   * never more than was received on the order. Idempotent: the same values set
   * again, the timeline row keyed.
   */
  'orders.refund': async (input, ctx) => {
    const refund = await ctx.prisma.refund.findUnique({ where: { processId: ctx.processId }, include: { order: true } });
    if (!refund) throw invalid('This process recorded no cancellation to refund');
    const form = formOf(input);
    const amountFen = toFen(form.amount ?? refund.amount.toString());
    if (amountFen === null) throw invalid('amount must be an amount of at most two decimals');
    const capProblem = refundProblem(amountFen, await receivedFen(ctx.prisma, refund.order));
    if (capProblem) throw invalid(capProblem);
    const amount = fenToYuan(amountFen);
    await ctx.prisma.refund.update({
      where: { id: refund.id },
      data: { status: 'refunded', amount, method: text(form.method), refundedAt: new Date() },
    });
    await appendCustomerEvent(ctx.prisma, refund.order.customerId, SYSTEM_ACTOR, {
      type: 'refund',
      processId: ctx.processId,
      dedupeKey: keyOf(ctx),
      data: { orderId: refund.orderId, amount },
    });
    return { refunded: amount };
  },

  /**
   * Opens an after-sales case (售后) on the customer's timeline. Idempotent: one case
   * per process (an upsert), the timeline row keyed.
   */
  'service.open': async (input, ctx) => {
    const customer = await customerInProject(ctx, input.customerId);
    const kind = String(input.kind ?? 'complaint');
    const description = text(input.description) ?? '';
    const projectId = await projectOf(ctx.prisma, ctx.processId);
    const row = await ctx.prisma.serviceCase.upsert({
      where: { processId: ctx.processId },
      create: { projectId, customerId: customer.id, processId: ctx.processId, kind, description },
      update: {},
    });
    await appendCustomerEvent(ctx.prisma, customer.id, SYSTEM_ACTOR, {
      type: 'service_case',
      processId: ctx.processId,
      dedupeKey: keyOf(ctx),
      result: 'open',
      notes: description,
      data: { caseId: row.id, kind },
    });
    return { caseId: row.id };
  },

  /** The case resolved. Idempotent: the same values set again, the timeline row keyed. */
  'service.resolve': async (input, ctx) => {
    const row = await ctx.prisma.serviceCase.findUnique({ where: { processId: ctx.processId } });
    if (!row) throw invalid('This process opened no case');
    const resolution = text(formOf(input).resolution) ?? '';
    await ctx.prisma.serviceCase.update({ where: { id: row.id }, data: { status: 'resolved', resolution, resolvedAt: new Date() } });
    await appendCustomerEvent(ctx.prisma, row.customerId, SYSTEM_ACTOR, {
      type: 'service_case',
      processId: ctx.processId,
      dedupeKey: keyOf(ctx),
      result: 'resolved',
      notes: resolution,
      data: { caseId: row.id, kind: row.kind },
    });
    return { caseId: row.id, resolved: true };
  },
};
