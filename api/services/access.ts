import type { Prisma } from '../../db/client';
import type { Actor } from '../../domain';
import type { Principal } from './auth-service';
import { NotAllowed } from './errors';

// Visibility: one rule per resource, in this file only. Every list, detail, search,
// export and stream of a resource starts from its rule here; a filter taken from
// the request narrows it with `AND` (see `narrowed`), it never replaces it — a
// `?projectId=` of a project the caller is not a member of is refused, and one of
// theirs only narrows what they may see anyway. The permission matrix test walks
// the route table with a foreign project's users and a colleague who is not the
// owner, so a route that skips its rule fails there the day it is added.

/** Whether the caller may see data of `projectId`. */
export function canSeeProject(principal: Principal, projectId: string): boolean {
  return principal.projects === 'all' || principal.projects.has(projectId);
}

/**
 * Refuses a project named by the request (a query or body `projectId`) that the caller
 * is not a member of. Without one, nothing to check: the resource's rule keeps the rows
 * to the caller's projects.
 */
export function requireVisibleProject(principal: Principal, projectId: string | undefined): void {
  if (projectId !== undefined && !canSeeProject(principal, projectId)) throw new NotAllowed(`You are not a member of project ${projectId}`);
}

/**
 * Refuses a caller who does not see every project, for data that spans them all and
 * carries no project to filter by (the audit trail): a role given `audit.read`
 * without `projects.all` would otherwise read every project's customers in it.
 */
export function requireEveryProject(principal: Principal, what: string): void {
  if (principal.projects !== 'all') throw new NotAllowed(`${what} spans every project: it needs the projects.all permission as well`);
}

/** Whether the caller reads every customer of their projects in full (phones, ID numbers), not only their own. */
export function readsAllCustomers(principal: Principal): boolean {
  return principal.permissions.has('customers.read_all');
}

/** A filter on any project-scoped rows (processes, units, records) that keeps only the caller's projects. */
export function inVisibleProjects(principal: Principal): { projectId?: { in: string[] } } {
  return principal.projects === 'all' ? {} : { projectId: { in: [...principal.projects] } };
}

/**
 * A resource's rule narrowed by the request's filters: both hold (`AND`), so a filter
 * can only take rows away, never add rows the rule keeps out.
 */
export function narrowed<W extends object>(rule: W, ...filters: W[]): { AND: W[] } {
  return { AND: [rule, ...filters] };
}

/** The rules, by resource. */
export const visible = {
  /** Process instances: those of the caller's projects (personal data in them is masked separately, see privacy.ts). */
  processes(principal: Principal): Prisma.ProcessInstanceWhereInput {
    return inVisibleProjects(principal);
  },
  /** Tasks: those of the processes the caller sees. */
  tasks(principal: Principal): Prisma.TaskWhereInput {
    return { process: visible.processes(principal) };
  },
  /** Records (submitted documents): those of the caller's projects. */
  records(principal: Principal): Prisma.RecordWhereInput {
    return inVisibleProjects(principal);
  },
  /**
   * Customers as a list shows them: every customer of the caller's projects, by name,
   * so that an agent sees a colleague's registration (phones of others masked).
   */
  customers(principal: Principal): Prisma.CustomerWhereInput {
    return inVisibleProjects(principal);
  },
  /** Customers the caller sees in full: their own, or all of their projects' with `customers.read_all`. */
  customersInFull(principal: Principal): Prisma.CustomerWhereInput {
    return readsAllCustomers(principal) ? inVisibleProjects(principal) : { ...inVisibleProjects(principal), ownerId: principal.userId };
  },
  /** Deals (商机): those of the customers the caller sees in full. */
  deals(principal: Principal): Prisma.DealWhereInput {
    return { ...inVisibleProjects(principal), customer: visible.customersInFull(principal) };
  },
  /** Orders, with their payments and refunds (buyers' ID numbers): those of the customers the caller sees in full. */
  orders(principal: Principal): Prisma.SalesOrderWhereInput {
    return { ...inVisibleProjects(principal), customer: visible.customersInFull(principal) };
  },
  /** Units for sale: those of the caller's projects. */
  units(principal: Principal): Prisma.UnitWhereInput {
    return inVisibleProjects(principal);
  },
};

/** A filter on process instances that keeps only the caller's projects. */
export function visibleProcesses(principal: Principal): Prisma.ProcessInstanceWhereInput {
  return visible.processes(principal);
}

/**
 * Whether the caller is the task's assignee: the user it is assigned to or, when it
 * is assigned to no user, a holder of its role (the original one or the one it was
 * escalated to); an escalated task also belongs to the role it was escalated to.
 * Delegates are handled by the task service.
 */
export function mayActOnTask(
  principal: Principal,
  task: { assigneeRole: string; originalRole: string; assigneeUserId: string | null; escalationLevel: number },
): boolean {
  // An escalated task belongs to the role it climbed to as well, even if a user held it.
  if (task.escalationLevel > 0 && principal.roles.includes(task.assigneeRole)) return true;
  if (task.assigneeUserId !== null) return task.assigneeUserId === principal.userId;
  return principal.roles.includes(task.assigneeRole) || principal.roles.includes(task.originalRole);
}

/** The caller as the workflow records an actor: id and user name, nothing more. */
export function actorOf(principal: Principal): Actor {
  return { userId: principal.userId, username: principal.username };
}
