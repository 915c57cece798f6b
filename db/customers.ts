import {
  DEAL_PROBABILITY,
  DEFAULT_CUSTOMER_RULES,
  normalisePhone,
  stageRank,
  type Actor,
  type CustomerStage,
  type DealStage,
} from '../domain';
import { FOLLOWED_STAGES, recordCustomerFact, updateCustomerDimensions } from './analytics';
import { appendAudit } from './audit';
import type { Db, PrismaClient } from './client';
import { Prisma } from './client';

// Customer rules shared by the API (an agent's registration, 报备) and the
// activities the processes call (a reception, a registration, a follow-up): one
// place decides ownership, protection and stage moves.

/** The customer and order rules as the settings hold them (defaults when never saved). */
export interface CustomerRules {
  protectionDays: number;
  discountLimits: { agent: number; supervisor: number };
}

/** Reads the rules from the settings table; a value never saved is the default. */
export async function readCustomerRules(db: Db): Promise<CustomerRules> {
  const rows = await db.setting.findMany({ where: { key: { in: ['customerProtectionDays', 'discountLimits'] } } });
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const days = value('customerProtectionDays');
  const limits = value('discountLimits') as { agent?: unknown; supervisor?: unknown } | undefined;
  return {
    protectionDays: typeof days === 'number' ? days : DEFAULT_CUSTOMER_RULES.protectionDays,
    discountLimits: {
      agent: typeof limits?.agent === 'number' ? limits.agent : DEFAULT_CUSTOMER_RULES.discountLimits.agent,
      supervisor: typeof limits?.supervisor === 'number' ? limits.supervisor : DEFAULT_CUSTOMER_RULES.discountLimits.supervisor,
    },
  };
}

/** The phone is not a mainland mobile number. */
export class PhoneInvalid extends Error {
  constructor(readonly raw: string) {
    super(`"${raw}" is not a mainland mobile number (11 digits, optionally +86)`);
    this.name = 'PhoneInvalid';
  }
}

/** Another agent owns this phone's customer and the protection has not lapsed. */
export class CustomerOwned extends Error {
  constructor(
    readonly customerId: string,
    readonly ownerName: string,
    readonly protectedUntil: Date,
  ) {
    super(`This customer is registered to ${ownerName}, protected until ${protectedUntil.toISOString().slice(0, 10)}`);
    this.name = 'CustomerOwned';
  }
}

/** When a customer's protection ends. */
export function protectedUntil(protectedFrom: Date, protectionDays: number): Date {
  return new Date(protectedFrom.getTime() + protectionDays * 86_400_000);
}

/** What a registration asks for. */
export interface Registration {
  projectId: string;
  name: string;
  phone: string;
  agent: Actor & { userId: string };
  source?: string | null;
  processId?: string | null;
  /** Makes the timeline row of this registration idempotent (a retried activity). */
  dedupeKey?: string;
  at?: Date;
  /** Whether finding the agent's own customer records a visit (a reception does; a later step looking the customer up does not). */
  isVisit?: boolean;
}

/** A registration's result: the customer, and whether it was new, returning or taken over after a lapse. */
export interface Registered {
  customerId: string;
  ownerId: string;
  stage: CustomerStage;
  outcome: 'created' | 'returning' | 'lapsed-takeover';
}

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';

/**
 * Finds or creates the project's customer with this phone for `agent` (报备):
 * - none yet → created, owned by the agent; two agents racing for one new phone
 *   meet the unique (project, phone) key, and the loser is answered as if it came second;
 * - the agent's own → a returning visitor (a lost customer becomes a visitor again);
 * - another agent's, still protected → {@link CustomerOwned};
 * - another agent's, lapsed → taken over, audited (conditional on the old owner, so one taker wins).
 * Idempotent for one agent: registering again finds the customer.
 */
export async function registerCustomer(prisma: PrismaClient, r: Registration, rules?: CustomerRules): Promise<Registered> {
  const phone = normalisePhone(r.phone);
  if (!phone) throw new PhoneInvalid(r.phone);
  const { protectionDays } = rules ?? (await readCustomerRules(prisma));
  const at = r.at ?? new Date();
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await prisma.customer.findUnique({
      where: { projectId_phone: { projectId: r.projectId, phone } },
      include: { owner: { select: { displayName: true } } },
    });
    if (!existing) {
      try {
        return await prisma.$transaction(async (tx) => {
          const created = await tx.customer.create({
            data: { projectId: r.projectId, name: r.name, phone, ownerId: r.agent.userId, source: r.source ?? null, protectedFrom: at },
          });
          await appendCustomerEvent(tx, created.id, r.agent, { type: 'registered', processId: r.processId, dedupeKey: r.dedupeKey, at });
          await appendAudit(tx, {
            actor: r.agent,
            action: 'customer.register',
            objectType: 'customer',
            objectId: created.id,
            after: { ownerId: r.agent.userId },
          });
          return { customerId: created.id, ownerId: created.ownerId, stage: 'visitor' as CustomerStage, outcome: 'created' as const };
        });
      } catch (err) {
        // Another agent registered the same phone a moment earlier: look again.
        if (isUniqueViolation(err)) continue;
        throw err;
      }
    }
    if (existing.ownerId === r.agent.userId) {
      if (r.isVisit === false)
        return { customerId: existing.id, ownerId: existing.ownerId, stage: existing.stage as CustomerStage, outcome: 'returning' };
      await prisma.$transaction(async (tx) => {
        const fresh = await appendCustomerEvent(tx, existing.id, r.agent, {
          type: 'visit',
          processId: r.processId,
          dedupeKey: r.dedupeKey,
          at,
        });
        if (!fresh) return;
        // A visit is an effective contact: protection runs from it; a lost customer is back.
        await tx.customer.update({
          where: { id: existing.id },
          data: { protectedFrom: at, ...(existing.stage === 'lost' ? { stage: 'visitor', lostReason: null } : {}), archivedAt: null },
        });
      });
      const stage = existing.stage === 'lost' ? 'visitor' : (existing.stage as CustomerStage);
      return { customerId: existing.id, ownerId: existing.ownerId, stage, outcome: 'returning' };
    }
    const until = protectedUntil(existing.protectedFrom, protectionDays);
    if (until > at) throw new CustomerOwned(existing.id, existing.owner.displayName, until);
    const taken = await prisma.$transaction(async (tx) => {
      const changed = await updateCustomerDimensions(
        tx,
        existing.id,
        { ownerId: r.agent.userId, protectedFrom: at, ...(existing.stage === 'lost' ? { stage: 'visitor', lostReason: null } : {}) },
        { ownerId: existing.ownerId, protectedFrom: existing.protectedFrom },
      );
      if (changed === 0) return false;
      await appendCustomerEvent(tx, existing.id, r.agent, {
        type: 'transfer',
        processId: r.processId,
        dedupeKey: r.dedupeKey,
        at,
        data: { from: existing.ownerId, to: r.agent.userId, reason: 'protection lapsed' },
      });
      await appendAudit(tx, {
        actor: r.agent,
        action: 'customer.takeover',
        objectType: 'customer',
        objectId: existing.id,
        before: { ownerId: existing.ownerId, protectedUntil: until },
        after: { ownerId: r.agent.userId },
      });
      return true;
    });
    // Someone else changed the owner in between: decide again on what is there now.
    if (!taken) continue;
    return {
      customerId: existing.id,
      ownerId: r.agent.userId,
      stage: existing.stage === 'lost' ? 'visitor' : (existing.stage as CustomerStage),
      outcome: 'lapsed-takeover',
    };
  }
  throw new Error(`Registration of ${phone} kept racing; try again`);
}

/** One timeline row. */
export interface CustomerEventInput {
  type: string;
  at?: Date;
  channel?: string | null;
  result?: string | null;
  notes?: string | null;
  nextContactAt?: Date | null;
  processId?: string | null;
  data?: unknown;
  dedupeKey?: string;
}

/**
 * Appends to a customer's timeline. Returns whether this call wrote it: with a
 * `dedupeKey`, a second call (a retried activity) finds the row and writes nothing.
 */
export async function appendCustomerEvent(db: Db, customerId: string, by: Actor, e: CustomerEventInput): Promise<boolean> {
  // The row and its count in the rollups commit together: in the caller's transaction,
  // or in one of their own when the caller passes the client.
  // (A transaction's client has no `$connect`; the client itself has.)
  if ('$connect' in db) return (db as PrismaClient).$transaction((tx) => appendCustomerEvent(tx, customerId, by, e));
  const written = await db.customerEvent.createManyAndReturn({
    data: [
      {
        customerId,
        type: e.type,
        at: e.at ?? new Date(),
        channel: e.channel ?? null,
        result: e.result ?? null,
        notes: e.notes ?? null,
        nextContactAt: e.nextContactAt ?? null,
        byId: by.userId,
        byName: by.username,
        processId: e.processId ?? null,
        data: e.data === undefined ? Prisma.DbNull : (e.data as Prisma.InputJsonValue),
        dedupeKey: e.dedupeKey ?? null,
      },
    ],
    skipDuplicates: true,
    select: { id: true, customerId: true, type: true, at: true, nextContactAt: true },
  });
  // Every fact the analytics count is a timeline row: counted here, once, with the row.
  for (const row of written) await recordCustomerFact(db, row);
  return written.length > 0;
}

/** A stage move a process makes: the customer's stage and its deal's. */
export interface StageMove {
  customerId: string;
  stage: CustomerStage;
  /** The process tree whose deal moves (its root process id). */
  originProcessId: string;
  unitId?: string | null;
  amount?: number | null;
  /** When the deal is expected to close (a date), if the step knows. */
  expectedCloseDate?: Date | null;
  reason?: string | null;
  by: Actor;
  processId: string;
  dedupeKey: string;
}

/**
 * Moves a customer (and the deal of the process tree) to `stage`. Forward only:
 * an earlier stage never overwrites a later one, so a retried or late activity
 * cannot move a customer back; `lost` always applies. Idempotent: the same move
 * again changes nothing, and its timeline row is keyed.
 */
export async function moveStage(prisma: PrismaClient, m: StageMove): Promise<{ stage: CustomerStage }> {
  return prisma.$transaction(async (tx) => {
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: m.customerId } });
    const current = customer.stage as CustomerStage;
    const moves = m.stage === 'lost' ? current !== 'lost' : stageRank(m.stage) > stageRank(current);
    if (moves) {
      await tx.customer.update({
        where: { id: m.customerId },
        data: {
          stage: m.stage,
          lostReason: m.stage === 'lost' ? (m.reason ?? null) : null,
          // Signed, paid or lost: no longer followed up, so no follow-up is due (or overdue).
          ...(FOLLOWED_STAGES.includes(m.stage) ? {} : { nextContactAt: null }),
        },
      });
      await appendCustomerEvent(tx, m.customerId, m.by, {
        type: 'stage',
        processId: m.processId,
        dedupeKey: m.dedupeKey,
        data: { from: current, to: m.stage, ...(m.reason ? { reason: m.reason } : {}) },
      });
    }
    if (m.stage !== 'visitor') {
      const dealStage: DealStage = m.stage === 'intent' ? 'interest' : m.stage;
      const deal = await tx.deal.findUnique({ where: { originProcessId: m.originProcessId } });
      const data = {
        ...(m.unitId ? { unitId: m.unitId } : {}),
        ...(m.amount !== undefined && m.amount !== null ? { expectedAmount: m.amount } : {}),
        ...(m.expectedCloseDate ? { expectedCloseDate: m.expectedCloseDate } : {}),
        ...(dealStage === 'lost' ? { lostReason: m.reason ?? null } : {}),
      };
      if (!deal) {
        await tx.deal.create({
          data: {
            projectId: customer.projectId,
            customerId: m.customerId,
            originProcessId: m.originProcessId,
            stage: dealStage,
            probability: DEAL_PROBABILITY[dealStage],
            ...data,
          },
        });
      } else if (dealStage === 'lost' ? deal.stage !== 'lost' : stageRank(dealStage) > stageRank(deal.stage as DealStage)) {
        await tx.deal.update({ where: { id: deal.id }, data: { stage: dealStage, probability: DEAL_PROBABILITY[dealStage], ...data } });
      } else if (Object.keys(data).length) {
        await tx.deal.update({ where: { id: deal.id }, data });
      }
    }
    return { stage: moves ? m.stage : current };
  });
}

/** The root of a process tree: sub-process ids are `<parent>/<step>/<n>`. */
export function rootProcessId(processId: string): string {
  return processId.split('/')[0]!;
}
