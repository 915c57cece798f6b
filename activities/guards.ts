import { ApplicationFailure } from '@temporalio/common';
import type { Actor } from '../domain';
import { FailureTypes, isUuid, SYSTEM_ACTOR } from '../domain';
import type { StepActivityContext } from './registry';

// Every customer, order and agent an activity acts on must belong to the project of
// the process that acts: the API checks who may start what, and this is the boundary
// behind it — a definition published with another project's ids in its input, or a
// start request that slipped past a route, refuses here instead of writing into
// another project's books. Units are checked the same way by `moveUnit`. A refusal is
// a non-retryable failure (`NotInProject`): the step fails visibly and nothing is written.

const notInProject = (message: string) => ApplicationFailure.nonRetryable(message, FailureTypes.notInProject);
const invalid = (message: string) => ApplicationFailure.nonRetryable(message, FailureTypes.invalidData);

/** The project of the process an activity runs for. */
async function processProject(ctx: StepActivityContext): Promise<string> {
  const row = await ctx.prisma.processInstance.findUnique({ where: { id: ctx.processId }, select: { projectId: true } });
  if (!row) throw invalid(`Process ${ctx.processId} has no row`);
  return row.projectId;
}

/** A customer an input names: it must exist and be a customer of the process's project. */
export async function customerInProject(
  ctx: StepActivityContext,
  value: unknown,
): Promise<{ id: string; ownerId: string; projectId: string }> {
  const customer = isUuid(value) ? await ctx.prisma.customer.findUnique({ where: { id: value } }) : null;
  if (!customer) throw invalid(`customerId ${String(value)} names no customer`);
  const project = await processProject(ctx);
  if (customer.projectId !== project) throw notInProject(`Customer ${customer.id} is not a customer of project ${project}`);
  return customer;
}

/** An order an input names: it must exist and be an order of the process's project. */
export async function orderInProject(ctx: StepActivityContext, value: unknown) {
  const order = isUuid(value) ? await ctx.prisma.salesOrder.findUnique({ where: { id: value } }) : null;
  if (!order) throw invalid(`orderId ${String(value)} names no order`);
  const project = await processProject(ctx);
  if (order.projectId !== project) throw notInProject(`Order ${order.id} is not an order of project ${project}`);
  return order;
}

/**
 * The agent an input names, as the timeline records an actor: a user who is a member
 * of the process's project (or sees every project). No user id at all is the system,
 * as before; a user of another project is refused — a deal and its commission are
 * never booked to someone outside the project.
 */
export async function agentInProject(ctx: StepActivityContext, userId: unknown): Promise<Actor> {
  if (!isUuid(userId)) return SYSTEM_ACTOR;
  const user = await ctx.prisma.user.findUnique({
    where: { id: userId },
    select: {
      username: true,
      memberships: { select: { projectId: true } },
      roles: { select: { role: { select: { permissions: true } } } },
    },
  });
  if (!user) return SYSTEM_ACTOR;
  const project = await processProject(ctx);
  const member =
    user.memberships.some((m) => m.projectId === project) || user.roles.some((r) => r.role.permissions.includes('projects.all'));
  if (!member) throw notInProject(`User ${user.username} is not a member of project ${project}`);
  return { userId, username: user.username };
}
