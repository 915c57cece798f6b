import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { appendAudit } from '../db/audit';
import type { PrismaClient } from '../db/client';
import { FailureTypes, isUuid, SYSTEM_ACTOR, type UnitStatus } from '../domain';
import { sendEventUpdate } from '../workflows/messages';
import type { RegisteredActivity, StepActivityContext } from './registry';

/**
 * Moves a unit held by (or free for) `processId` from one of `from` to `to`, in one
 * conditional UPDATE, so that of two subscriptions racing for a unit exactly one
 * wins. Idempotent: when the unit is already in `to` for this process, nothing
 * changes and no audit row is written. Refusals are non-retryable: `UnitUnavailable`
 * when someone else holds the unit, `UnitNotInProject` when the project has no such unit.
 */
export async function moveUnit(
  prisma: PrismaClient,
  processId: string,
  unitId: unknown,
  from: UnitStatus[],
  to: UnitStatus,
): Promise<{ unitId: string; status: UnitStatus }> {
  if (!isUuid(unitId)) throw ApplicationFailure.nonRetryable('unitId must be a unit id', FailureTypes.unitNotInProject);
  return prisma.$transaction(async (tx) => {
    const process = await tx.processInstance.findUniqueOrThrow({ where: { id: processId } });
    const unit = await tx.unit.findUnique({ where: { id: unitId } });
    if (!unit || unit.projectId !== process.projectId) {
      throw ApplicationFailure.nonRetryable(`Unit ${unitId} is not a unit of project ${process.projectId}`, FailureTypes.unitNotInProject);
    }
    const holder = to === 'available' ? null : processId;
    if (unit.status === to && unit.holderProcessId === holder) return { unitId, status: to };
    // Available units are free for anyone; otherwise only the holder moves them on.
    const changed = await tx.unit.updateMany({
      where: {
        id: unitId,
        status: { in: from },
        OR: [{ status: 'available' }, { holderProcessId: processId }],
      },
      data: { status: to, holderProcessId: holder },
    });
    if (changed.count === 0) {
      const taken = unit.holderProcessId && unit.holderProcessId !== processId;
      throw ApplicationFailure.nonRetryable(
        taken
          ? `Unit ${unit.building}-${unit.unitNo} is already ${unit.status} by another subscription`
          : `Unit ${unit.building}-${unit.unitNo} is ${unit.status}, not ${from.join(' or ')}`,
        FailureTypes.unitUnavailable,
      );
    }
    await appendAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: `unit.${to}`,
      objectType: 'unit',
      objectId: unitId,
      before: { status: unit.status, holderProcessId: unit.holderProcessId },
      after: { status: to, holderProcessId: holder },
    });
    return { unitId, status: to };
  });
}

/** The unit activities that subscription steps call by name. */
export const UNIT_ACTIVITIES: Record<string, RegisteredActivity> = {
  /** Deposit paid: the unit is held for this subscription. */
  'units.reserve': (input, { prisma, processId }) => moveUnit(prisma, processId, input.unitId, ['available'], 'reserved'),
  /** Agreement signed. */
  'units.subscribe': (input, { prisma, processId }) => moveUnit(prisma, processId, input.unitId, ['reserved'], 'subscribed'),
  /** Handed over: the deal is done. The last unit sold tells the project's launch it is sold out. */
  'units.sell': async (input, context) => {
    const moved = await moveUnit(context.prisma, context.processId, input.unitId, ['subscribed'], 'sold');
    await raiseSoldOutIfLast(context, moved.unitId);
    return moved;
  },
  /** Subscription abandoned before the agreement: the unit is for sale again. */
  'units.release': (input, { prisma, processId }) => moveUnit(prisma, processId, input.unitId, ['reserved'], 'available'),
};

/**
 * Releases a unit that `holderProcessId` holds, whatever its status (a cancelled
 * order after subscription or after contract: 退订/退房). The cancellation process
 * acts for the holder, so the holder check of {@link moveUnit} still decides.
 * Idempotent: a unit already available is left alone.
 */
export async function releaseHeldUnit(prisma: PrismaClient, holderProcessId: string, unitId: string, actor = SYSTEM_ACTOR) {
  return prisma.$transaction(async (tx) => {
    const unit = await tx.unit.findUniqueOrThrow({ where: { id: unitId } });
    if (unit.status === 'available') return { unitId, status: 'available' as UnitStatus };
    const changed = await tx.unit.updateMany({
      where: { id: unitId, holderProcessId },
      data: { status: 'available', holderProcessId: null },
    });
    if (changed.count === 0) {
      throw ApplicationFailure.nonRetryable(`Unit ${unit.building}-${unit.unitNo} is held by another order`, FailureTypes.unitUnavailable);
    }
    await appendAudit(tx, {
      actor,
      action: 'unit.available',
      objectType: 'unit',
      objectId: unitId,
      before: { status: unit.status, holderProcessId: unit.holderProcessId },
      after: { status: 'available', holderProcessId: null },
    });
    return { unitId, status: 'available' as UnitStatus };
  });
}

/**
 * §5.13: when the last unit of a project is sold, the system itself raises
 * `sold-out` on the project's running launch, which ends the current phase at once
 * and goes to the close-out. Idempotent: the update id names the project, so a
 * retried activity delivers the event once; a launch whose definition does not
 * accept the event (or no running launch) is left alone.
 */
export async function raiseSoldOutIfLast(context: StepActivityContext, unitId: string): Promise<void> {
  const unit = await context.prisma.unit.findUniqueOrThrow({ where: { id: unitId } });
  const unsold = await context.prisma.unit.count({ where: { projectId: unit.projectId, status: { not: 'sold' } } });
  if (unsold > 0) return;
  const launches = await context.prisma.processInstance.findMany({
    where: { projectId: unit.projectId, definitionKey: 'sales-launch', parentId: null, status: { in: ['running', 'failing'] } },
    select: { id: true },
  });
  for (const launch of launches) {
    try {
      await context
        .temporal()
        .workflow.getHandle(launch.id)
        .executeUpdate(sendEventUpdate, {
          args: [{ name: 'sold-out', payload: { note: `The last unit was sold (${unit.building}-${unit.unitNo})` }, actor: SYSTEM_ACTOR }],
          updateId: `system:sold-out:${unit.projectId}`,
        });
    } catch (err) {
      // A launch that does not accept the event has nothing to end; anything else is retried.
      if (!(err instanceof WorkflowUpdateFailedError)) throw err;
    }
  }
}
