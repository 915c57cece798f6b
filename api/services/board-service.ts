import type { PrismaClient } from '../../db/client';
import type { Principal } from './auth-service';
import { canSeeProject, visibleProcesses } from './access';

/** Open work counted one way: by role, by person or by project. */
export interface BoardGroup {
  key: string;
  open: number;
  overdue: number;
  escalated: number;
}

/**
 * The team board: open tasks counted by role, person and project, and the active
 * colleagues of the caller's projects (whom a task can be delegated or reassigned to).
 * Everything is limited to the projects the caller sees.
 */
export class BoardService {
  constructor(private readonly prisma: PrismaClient) {}

  async board(principal: Principal, projectId?: string) {
    const projects = projectId
      ? canSeeProject(principal, projectId)
        ? [projectId]
        : []
      : principal.projects === 'all'
        ? 'all'
        : [...principal.projects];
    const processFilter = projects === 'all' ? visibleProcesses(principal) : { projectId: { in: projects } };
    const [tasks, users] = await Promise.all([
      this.prisma.task.findMany({
        where: { status: 'open', process: processFilter },
        select: { assigneeRole: true, assigneeUserId: true, dueAt: true, escalationLevel: true, process: { select: { projectId: true } } },
      }),
      this.prisma.user.findMany({
        where: { active: true, ...(projects === 'all' ? {} : { memberships: { some: { projectId: { in: projects } } } }) },
        select: {
          id: true,
          username: true,
          displayName: true,
          roles: { select: { roleName: true } },
          memberships: { select: { projectId: true } },
        },
        orderBy: { username: 'asc' },
      }),
    ]);
    const now = Date.now();
    const count = (keyOf: (t: (typeof tasks)[number]) => string): BoardGroup[] => {
      const groups = new Map<string, BoardGroup>();
      for (const t of tasks) {
        const key = keyOf(t);
        const g = groups.get(key) ?? { key, open: 0, overdue: 0, escalated: 0 };
        g.open++;
        if (t.dueAt.getTime() < now) g.overdue++;
        if (t.escalationLevel > 0) g.escalated++;
        groups.set(key, g);
      }
      return [...groups.values()].sort((a, b) => b.open - a.open || a.key.localeCompare(b.key));
    };
    return {
      byRole: count((t) => t.assigneeRole),
      // '' is work nobody has claimed yet: it waits on a role.
      byPerson: count((t) => t.assigneeUserId ?? ''),
      byProject: count((t) => t.process.projectId),
      people: users.map(({ roles, memberships, ...u }) => ({
        ...u,
        roles: roles.map((r) => r.roleName),
        projects: memberships.map((m) => m.projectId),
      })),
    };
  }
}
