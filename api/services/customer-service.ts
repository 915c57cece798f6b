import { updateCustomerDimensions } from '../../db/analytics';
import { businessTimeZone } from '../../db/business-time';
import { receivedFen } from '../../db/orders';
import type { Prisma, PrismaClient } from '../../db/client';
import {
  appendCustomerEvent,
  CustomerOwned,
  PhoneInvalid,
  protectedUntil,
  readCustomerRules,
  registerCustomer,
  rootProcessId,
} from '../../db/customers';
import {
  businessDate,
  fenToYuan,
  instalmentState,
  isUuid,
  maskPhone,
  normalisePhone,
  refundProblem,
  toFen,
  type CustomerStage,
  type FollowUpChannel,
} from '../../domain';
import { actorOf, canSeeProject, narrowed, readsAllCustomers, requireVisibleProject, visible } from './access';
import type { AuditService } from './audit-service';
import type { Principal } from './auth-service';
import { type Page, type PagedList, type PageRequest, pageOf } from './paging';
import { Conflict, InvalidInput, NotAllowed, NotFound } from './errors';
import type { ProcessService } from './process-service';

/** Filters of the customer list and search. */
export interface CustomerQuery {
  projectId?: string;
  /** Name or phone (any spelling, or its last digits). */
  q?: string;
  tag?: string;
  stage?: CustomerStage;
  /** `me` or a user's id: only that agent's customers. */
  owner?: string;
  archived?: boolean;
  /** Most recently active first (default), newest registrations first, or by name. */
  sort?: 'updated' | 'created' | 'name';
  cursor?: string;
  limit: number;
}

/** The customer list's orders; each ends with the id so that a position is unique. */
const customerLists: Record<NonNullable<CustomerQuery['sort']>, PagedList> = {
  updated: {
    resource: 'customers',
    keys: [
      { field: 'updatedAt', kind: 'date', direction: 'desc' },
      { field: 'id', kind: 'string', direction: 'desc' },
    ],
  },
  created: {
    resource: 'customers',
    keys: [
      { field: 'createdAt', kind: 'date', direction: 'desc' },
      { field: 'id', kind: 'string', direction: 'desc' },
    ],
  },
  name: {
    resource: 'customers',
    keys: [
      { field: 'name', kind: 'string', direction: 'asc' },
      { field: 'id', kind: 'string', direction: 'asc' },
    ],
  },
};

const dealList: PagedList = {
  resource: 'deals',
  keys: [
    { field: 'updatedAt', kind: 'date', direction: 'desc' },
    { field: 'id', kind: 'string', direction: 'desc' },
  ],
};
const orderList: PagedList = {
  resource: 'orders',
  keys: [
    { field: 'createdAt', kind: 'date', direction: 'desc' },
    { field: 'id', kind: 'string', direction: 'desc' },
  ],
};

/** An agent's registration (报备) through the API. */
export interface NewCustomer {
  projectId: string;
  name: string;
  phone: string;
  source?: string;
  tags?: string[];
}

/** A change to a customer's own fields (stages and classification move only with the processes). */
export interface CustomerPatch {
  name?: string;
  tags?: string[];
  archived?: boolean;
}

/** A follow-up typed by the agent outside a process. */
export interface NewFollowUp {
  at?: Date;
  channel: FollowUpChannel;
  result: string;
  notes?: string;
  nextContactAt?: Date;
}

type CustomerRow = Prisma.CustomerGetPayload<{ include: { owner: { select: { id: true; username: true; displayName: true } } } }>;

/**
 * Customers (客户): registration with ownership and protection (报备/保护期), search,
 * the full record for its owner (phones masked for others unless the role may read
 * them), follow-ups, tags, archive, transfer and export. Stages and classification
 * are the processes' (activities/customers.ts), never typed here.
 */
export class CustomerService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
    private readonly processes: ProcessService,
  ) {}

  /** Whether the caller sees this customer in full. */
  private seesInFull(principal: Principal, customer: { ownerId: string; projectId: string }): boolean {
    return canSeeProject(principal, customer.projectId) && (customer.ownerId === principal.userId || readsAllCustomers(principal));
  }

  private present(principal: Principal, c: CustomerRow, protectionDays: number) {
    const full = this.seesInFull(principal, c);
    return {
      id: c.id,
      projectId: c.projectId,
      name: c.name,
      phone: full ? c.phone : maskPhone(c.phone),
      phoneMasked: !full,
      owner: { id: c.owner.id, username: c.owner.username, displayName: c.owner.displayName },
      protectedUntil: protectedUntil(c.protectedFrom, protectionDays),
      classification: c.classification,
      stage: c.stage,
      lostReason: c.lostReason,
      source: c.source,
      tags: c.tags,
      archived: c.archivedAt !== null,
      createdAt: c.createdAt,
    };
  }

  private readonly withOwner = { owner: { select: { id: true, username: true, displayName: true } } } as const;

  /**
   * The project's customers the caller may see, searched by name, phone or tag. A
   * phone (whole, or its last four digits or more) finds only customers whose phone
   * the caller may read anyway — their own, or any with `customers.read_all` — so
   * that search cannot recover a colleague's customer's masked number digit by digit.
   */
  async list(principal: Principal, q: CustomerQuery) {
    requireVisibleProject(principal, q.projectId);
    const digits = q.q?.replace(/\D/g, '') ?? '';
    const phone = q.q ? normalisePhone(q.q) : undefined;
    const phoneSearchable: Prisma.CustomerWhereInput = readsAllCustomers(principal) ? {} : { ownerId: principal.userId };
    const where = narrowed<Prisma.CustomerWhereInput>(visible.customers(principal), {
      ...(q.projectId ? { projectId: q.projectId } : {}),
      ...(q.stage ? { stage: q.stage } : {}),
      ...(q.tag ? { tags: { has: q.tag } } : {}),
      ...(q.owner ? { ownerId: q.owner === 'me' ? principal.userId : q.owner } : {}),
      ...(q.archived === undefined ? {} : { archivedAt: q.archived ? { not: null } : null }),
      ...(q.q
        ? {
            OR: [
              { name: { contains: q.q, mode: 'insensitive' } },
              ...(phone ? [{ phone, ...phoneSearchable }] : []),
              // The last digits of a phone find it; fewer than four would find everyone.
              ...(digits.length >= 4 ? [{ phone: { endsWith: digits }, ...phoneSearchable }] : []),
            ],
          }
        : {}),
    });
    const { protectionDays } = await readCustomerRules(this.prisma);
    const [{ rows, nextCursor }, total] = await Promise.all([
      pageOf(customerLists[q.sort ?? 'updated'], q, { ...q, owner: q.owner === 'me' ? principal.userId : q.owner }, (page) =>
        this.prisma.customer.findMany({
          where: page.after ? { AND: [where, page.after] } : where,
          include: this.withOwner,
          orderBy: page.orderBy,
          take: page.take,
        }),
      ),
      // A count of one project's customers is an index-only scan: cheap enough for the first page.
      q.cursor === undefined ? this.prisma.customer.count({ where }) : undefined,
    ]);
    return {
      items: rows.map((c) => this.present(principal, c, protectionDays)),
      nextCursor,
      ...(total === undefined ? {} : { total }),
    } satisfies Page<unknown>;
  }

  /**
   * Registers a customer for the caller (报备). 201 when new, 200 when the caller's
   * own returning customer; another agent's protected customer is a conflict naming
   * the owner and the end of protection.
   */
  async register(principal: Principal, c: NewCustomer) {
    if (!canSeeProject(principal, c.projectId)) throw new NotAllowed(`You are not a member of project ${c.projectId}`);
    if (!(await this.prisma.project.findUnique({ where: { id: c.projectId } }))) {
      throw new InvalidInput(`Unknown project ${c.projectId}`, [{ field: 'projectId', reason: 'unknown project' }]);
    }
    try {
      const registered = await registerCustomer(this.prisma, {
        projectId: c.projectId,
        name: c.name,
        phone: c.phone,
        agent: { userId: principal.userId, username: principal.username },
        source: c.source,
        isVisit: false,
      });
      if (c.tags?.length) {
        const row = await this.prisma.customer.findUniqueOrThrow({ where: { id: registered.customerId } });
        await this.prisma.customer.update({ where: { id: row.id }, data: { tags: [...new Set([...row.tags, ...c.tags])] } });
      }
      return {
        created: registered.outcome === 'created',
        outcome: registered.outcome,
        customer: await this.get(principal, registered.customerId),
      };
    } catch (err) {
      if (err instanceof PhoneInvalid) throw new InvalidInput(err.message, [{ field: 'phone', reason: 'not a mainland mobile number' }]);
      if (err instanceof CustomerOwned)
        throw new Conflict(err.message, {
          cause: err,
          reason: {
            code: 'customer_owned',
            params: { owner: err.ownerName, until: businessDate(err.protectedUntil, await businessTimeZone(this.prisma)) },
          },
        });
      throw err;
    }
  }

  private async row(principal: Principal, id: string): Promise<CustomerRow> {
    const c = isUuid(id) ? await this.prisma.customer.findUnique({ where: { id }, include: this.withOwner }) : null;
    if (!c || !canSeeProject(principal, c.projectId)) throw new NotFound(`Customer ${id}`);
    // Others' customers are not the caller's to read (a supervisor's role may).
    if (!this.seesInFull(principal, c)) throw new NotAllowed(`Customer ${id} is ${c.owner.displayName}'s`);
    return c;
  }

  /** One customer in full with their timeline, deals, orders (with payments and refunds), service cases and records. */
  async get(principal: Principal, id: string) {
    const c = await this.row(principal, id);
    const { protectionDays } = await readCustomerRules(this.prisma);
    const [events, deals, orders, cases] = await Promise.all([
      this.prisma.customerEvent.findMany({ where: { customerId: id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
      this.prisma.deal.findMany({ where: { customerId: id }, orderBy: { createdAt: 'asc' } }),
      this.prisma.salesOrder.findMany({
        where: { customerId: id },
        include: { payments: { orderBy: { seq: 'asc' } }, refunds: true },
        orderBy: { createdAt: 'asc' },
      }),
      this.prisma.serviceCase.findMany({ where: { customerId: id }, orderBy: { createdAt: 'asc' } }),
    ]);
    // Every document of the processes that concern the customer (receptions, subscriptions
    // and everything they started, cancellations, after-sales cases): linked through their trees.
    const roots = [
      ...new Set(
        [...events.map((e) => e.processId), ...orders.flatMap((o) => [o.processId, o.holderProcessId]), ...cases.map((k) => k.processId)]
          .filter((p): p is string => !!p)
          .map(rootProcessId),
      ),
    ];
    const records = roots.length
      ? await this.prisma.record.findMany({
          where: { OR: roots.flatMap((r) => [{ processId: r }, { processId: { startsWith: `${r}/` } }]) },
          orderBy: { createdAt: 'asc' },
          take: 500,
        })
      : [];
    // Who did each step, by name: the timeline keeps the user's id and sign-in name.
    const people = await this.prisma.user.findMany({
      where: { id: { in: [...new Set(events.map((e) => e.byId).filter((u): u is string => !!u))] } },
      select: { id: true, displayName: true },
    });
    const nameOf = new Map(people.map((p) => [p.id, p.displayName]));
    return {
      ...this.present(principal, c, protectionDays),
      household: c.household,
      records,
      timeline: events.map((e) => ({
        ...e,
        id: e.id.toString(),
        dedupeKey: undefined,
        byDisplayName: e.byId ? (nameOf.get(e.byId) ?? e.byName) : null,
      })),
      deals,
      orders: await this.withUnits(orders.map(presentOrder)),
      serviceCases: cases,
    };
  }

  /** Changes the name, tags or archive flag of a customer the caller sees in full. */
  async update(principal: Principal, id: string, patch: CustomerPatch) {
    const c = await this.row(principal, id);
    await this.prisma.$transaction(async (tx) => {
      await tx.customer.update({
        where: { id },
        data: {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.tags !== undefined ? { tags: [...new Set(patch.tags)] } : {}),
          ...(patch.archived !== undefined ? { archivedAt: patch.archived ? (c.archivedAt ?? new Date()) : null } : {}),
        },
      });
      await this.audit.append(tx, {
        actor: principal,
        action: 'customer.update',
        objectType: 'customer',
        objectId: id,
        before: { name: c.name, tags: c.tags, archived: c.archivedAt !== null },
        after: patch,
      });
    });
    return this.get(principal, id);
  }

  /**
   * A follow-up typed outside a process (a phone call). By the owner (or a role
   * that reads every customer); an effective contact renews the protection.
   */
  async followUp(principal: Principal, id: string, f: NewFollowUp) {
    const c = await this.row(principal, id);
    const at = f.at ?? new Date();
    await this.prisma.$transaction(async (tx) => {
      await appendCustomerEvent(tx, id, actorOf(principal), {
        type: 'follow_up',
        at,
        channel: f.channel,
        result: f.result,
        notes: f.notes,
        nextContactAt: f.nextContactAt,
      });
      if (c.ownerId === principal.userId && at > c.protectedFrom) await tx.customer.update({ where: { id }, data: { protectedFrom: at } });
    });
    return this.get(principal, id);
  }

  /**
   * Moves customers to another agent (a supervisor's decision), one audit row and
   * one timeline row each; protection starts again for the new owner. All or none.
   */
  async transfer(principal: Principal, customerIds: string[], toUserId: string, reason: string) {
    const to = isUuid(toUserId) ? await this.prisma.user.findUnique({ where: { id: toUserId }, include: { memberships: true } }) : null;
    if (!to || !to.active) throw new InvalidInput(`Unknown user ${toUserId}`, [{ field: 'toUserId', reason: 'unknown user' }]);
    const ids = [...new Set(customerIds)];
    const rows = await this.prisma.customer.findMany({ where: { id: { in: ids.filter(isUuid) } } });
    // Another project's customer is not there for the caller, as on every other route (404, not a hint in a 400).
    const missing = ids.filter((i) => !rows.some((r) => r.id === i && canSeeProject(principal, r.projectId)));
    if (missing.length) throw new NotFound(`Customer ${missing[0]}`);
    const outsider = rows.find((r) => !to.memberships.some((m) => m.projectId === r.projectId));
    if (outsider)
      throw new InvalidInput(`${to.username} is not a member of project ${outsider.projectId}`, [
        { field: 'toUserId', reason: 'not a project member' },
      ]);
    const at = new Date();
    await this.prisma.$transaction(async (tx) => {
      for (const r of rows) {
        if (r.ownerId === to.id) continue;
        await updateCustomerDimensions(tx, r.id, { ownerId: to.id, protectedFrom: at });
        await appendCustomerEvent(tx, r.id, actorOf(principal), {
          type: 'transfer',
          at,
          notes: reason,
          data: { from: r.ownerId, to: to.id },
        });
        await this.audit.append(tx, {
          actor: principal,
          action: 'customer.transfer',
          objectType: 'customer',
          objectId: r.id,
          before: { ownerId: r.ownerId },
          after: { ownerId: to.id, reason },
        });
      }
    });
    return { transferred: rows.filter((r) => r.ownerId !== to.id).map((r) => r.id), toUserId: to.id };
  }

  /** Every customer of a project with full phones, for a role allowed to export; the export itself is audited. */
  async export(principal: Principal, projectId: string) {
    if (!canSeeProject(principal, projectId)) throw new NotAllowed(`You are not a member of project ${projectId}`);
    const rows = await this.prisma.customer.findMany({ where: { projectId }, include: this.withOwner, orderBy: { createdAt: 'asc' } });
    await this.audit.append(this.prisma, {
      actor: principal,
      action: 'customer.export',
      objectType: 'project',
      objectId: projectId,
      after: { customers: rows.length },
    });
    return rows.map((c) => ({
      id: c.id,
      name: c.name,
      phone: c.phone,
      // The same owner object as the list's rows: the web app's CSV reads its display name.
      owner: { id: c.owner.id, username: c.owner.username, displayName: c.owner.displayName },
      classification: c.classification,
      stage: c.stage,
      tags: c.tags,
      source: c.source,
      createdAt: c.createdAt,
    }));
  }

  /** Deals (商机) of the customers the caller sees in full. */
  async deals(principal: Principal, q: { projectId?: string; stage?: string; customerId?: string } & PageRequest) {
    requireVisibleProject(principal, q.projectId);
    const where = narrowed<Prisma.DealWhereInput>(visible.deals(principal), {
      ...(q.projectId ? { projectId: q.projectId } : {}),
      ...(q.stage ? { stage: q.stage } : {}),
      ...(q.customerId ? { customerId: q.customerId } : {}),
    });
    const [{ rows, nextCursor }, total] = await Promise.all([
      pageOf(dealList, q, q, (page) =>
        this.prisma.deal.findMany({
          where: page.after ? { AND: [where, page.after] } : where,
          include: { customer: { select: { id: true, name: true, ownerId: true } } },
          orderBy: page.orderBy,
          take: page.take,
        }),
      ),
      q.cursor === undefined ? this.prisma.deal.count({ where }) : undefined,
    ]);
    return {
      items: rows,
      nextCursor,
      ...(total === undefined ? {} : { total, pipeline: await this.pipeline(where) }),
    } satisfies Page<unknown>;
  }

  /**
   * The weighted pipeline of the deals that match (expected amount × probability,
   * lost ones left out), in exact fen: given with the first page, as the total is.
   */
  private async pipeline(where: Prisma.DealWhereInput): Promise<string> {
    const open = await this.prisma.deal.findMany({
      where: { AND: [where, { stage: { not: 'lost' } }, { expectedAmount: { not: null } }] },
      select: { expectedAmount: true, probability: true },
    });
    // Fen × hundredths of probability, summed as a bigint, rounded once at the end.
    const weighted = open.reduce(
      (sum, d) => sum + BigInt(toFen(d.expectedAmount) ?? 0) * BigInt(Math.round(Number(d.probability) * 100)),
      0n,
    );
    return fenToYuan(Number((weighted + 50n) / 100n));
  }

  /** Orders with their payments (late ones marked) and refunds, of the customers the caller sees in full. */
  async orders(principal: Principal, q: { projectId?: string; kind?: string; status?: string; customerId?: string } & PageRequest) {
    requireVisibleProject(principal, q.projectId);
    const where = narrowed<Prisma.SalesOrderWhereInput>(visible.orders(principal), {
      ...(q.projectId ? { projectId: q.projectId } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.customerId ? { customerId: q.customerId } : {}),
    });
    const [{ rows, nextCursor }, total] = await Promise.all([
      pageOf(orderList, q, q, (page) =>
        this.prisma.salesOrder.findMany({
          where: page.after ? { AND: [where, page.after] } : where,
          include: { payments: { orderBy: { seq: 'asc' } }, refunds: true, customer: { select: { id: true, name: true } } },
          orderBy: page.orderBy,
          take: page.take,
        }),
      ),
      q.cursor === undefined ? this.prisma.salesOrder.count({ where }) : undefined,
    ]);
    return {
      items: await this.withUnits(rows.map(presentOrder)),
      nextCursor,
      ...(total === undefined ? {} : { total }),
    } satisfies Page<unknown>;
  }

  /** Orders with their unit's label (building, unit number, layout), one query for them all. */
  private async withUnits<O extends { unitId: string }>(orders: O[]) {
    const units = await this.prisma.unit.findMany({
      where: { id: { in: [...new Set(orders.map((o) => o.unitId))] } },
      select: { id: true, building: true, unitNo: true, layout: true },
    });
    const unitOf = new Map(units.map((u) => [u.id, u]));
    return orders.map((o) => ({ ...o, unit: unitOf.get(o.unitId) ?? null }));
  }

  /**
   * Starts the cancellation (退订/退房) of an order the caller may cancel: the
   * `order-cancellation` process (approval, unit released, refund tracked).
   */
  async cancelOrder(principal: Principal, id: string, request: CancellationRequest, idempotencyKey?: string) {
    const order = await this.orderToCancel(principal, id);
    // Never more back than was received (the activities check again when it is paid out).
    const problem = refundProblem(toFen(request.refundAmount) ?? -1, await receivedFen(this.prisma, order));
    if (problem) throw new InvalidInput(`Refund refused: ${problem}`, [{ field: 'refundAmount', reason: problem }]);
    // One open cancellation per order: the workflow id numbers the cancellations that
    // have ended (a rejected one leaves room for the next), so every request while one
    // is open — or racing to open one — names the same workflow, and Temporal itself
    // refuses all but the first (a 409). Counting every cancellation instead would let
    // a request that reads after the first one's row start a second, concurrent one.
    const earlier = await this.prisma.processInstance.count({
      where: {
        definitionKey: 'order-cancellation',
        id: { startsWith: `order-cancellation:${order.id}:` },
        status: { notIn: ['running', 'failing'] },
      },
    });
    return this.processes.start(
      principal,
      {
        definition: 'order-cancellation',
        projectId: order.projectId,
        businessKey: `${order.id}:${earlier + 1}`,
        input: { orderId: order.id, ...request },
      },
      idempotencyKey,
      0,
      'route',
    );
  }

  /** Registers an after-sales case (售后) on a customer the caller sees in full: the `after-sales` process. */
  async openServiceCase(principal: Principal, id: string, request: ServiceCaseRequest, idempotencyKey?: string) {
    const c = await this.row(principal, id);
    return this.processes.start(
      principal,
      { definition: 'after-sales', projectId: c.projectId, input: { customerId: c.id, ...request } },
      idempotencyKey,
      0,
      'route',
    );
  }

  /**
   * An order the caller may cancel: one of their customers' (or any, with
   * `customers.read_all`), not cancelled already. The cancellation process checks
   * again when it runs (its process must have ended).
   */
  private async orderToCancel(principal: Principal, id: string) {
    const order = isUuid(id) ? await this.prisma.salesOrder.findUnique({ where: { id }, include: { customer: true } }) : null;
    if (!order || !canSeeProject(principal, order.projectId)) throw new NotFound(`Order ${id}`);
    if (!this.seesInFull(principal, order.customer)) throw new NotAllowed(`Order ${id} is another agent's`);
    if (order.status === 'cancelled') throw new Conflict(`Order ${id} is already cancelled`);
    // The order's own process must have ended (a running subscription would go on with the unit).
    const root = rootProcessId(order.holderProcessId);
    const running = await this.prisma.processInstance.findFirst({
      where: { OR: [{ id: root }, { id: { startsWith: `${root}/` } }], status: { in: ['running', 'failing'] } },
      select: { id: true },
    });
    if (running) throw new Conflict(`Process ${root} still runs this order: cancel it first`);
    return order;
  }
}

/** What a cancellation asks for. */
export interface CancellationRequest {
  reason: string;
  refundAmount: number;
}

/** What an after-sales case says. */
export interface ServiceCaseRequest {
  kind: 'complaint' | 'repair' | 'delivery' | 'contract-question';
  description: string;
}

/** An order as the API shows it: payments with whether each is late. */
function presentOrder<O extends { payments: { dueAt: Date; paidAt: Date | null; amount: unknown; paidAmount: unknown }[] }>(o: O) {
  const now = Date.now();
  return {
    ...o,
    payments: o.payments.map((p) => {
      // Receipts add up per instalment: paid only when covered; what is missing or paid beyond it is flagged.
      const state = instalmentState(toFen(String(p.amount)) ?? 0, toFen(String(p.paidAmount ?? 0)) ?? 0);
      return {
        ...p,
        late: p.paidAt === null && p.dueAt.getTime() < now,
        shortAmount: p.paidAmount === null ? null : fenToYuan(state.shortFen),
        overAmount: fenToYuan(state.overFen),
      };
    }),
  };
}
