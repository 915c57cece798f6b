import type { Prisma } from '../../db/client';
import type { Actor } from '../../domain';
import type { Principal } from './auth-service';

/** Whether the caller may see data of `projectId`. */
export function canSeeProject(principal: Principal, projectId: string): boolean {
  return principal.projects === 'all' || principal.projects.has(projectId);
}

/** A filter on any project-scoped rows (processes, units, records) that keeps only the caller's projects. */
export function inVisibleProjects(principal: Principal): { projectId?: { in: string[] } } {
  return principal.projects === 'all' ? {} : { projectId: { in: [...principal.projects] } };
}

/** A filter on process instances that keeps only the caller's projects. */
export function visibleProcesses(principal: Principal): Prisma.ProcessInstanceWhereInput {
  return inVisibleProjects(principal);
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
