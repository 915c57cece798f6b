import type { Prisma, PrismaClient } from '../../db/client';
import type { Principal } from './auth-service';
import { canSeeProject, requireVisibleProject, visibleProcesses } from './access';
import { type Page, type PagedList, type PageRequest, pageOf } from './paging';

/** Filters of the people list. */
export interface PeopleQuery extends PageRequest {
  projectId?: string;
  role?: string;
  /** Part of a name or username. */
  q?: string;
}

const personFields = {
  id: true,
  username: true,
  displayName: true,
  roles: { select: { roleName: true } },
  memberships: { select: { projectId: true } },
} as const;

const presentPerson = ({
  roles,
  memberships,
  ...u
}: {
  id: string;
  username: string;
  displayName: string;
  roles: { roleName: string }[];
  memberships: { projectId: string }[];
}) => ({ ...u, roles: roles.map((r) => r.roleName), projects: memberships.map((m) => m.projectId) });

const peopleList: PagedList = {
  resource: 'people',
  keys: [
    { field: 'displayName', kind: 'string', direction: 'asc' },
    { field: 'id', kind: 'string', direction: 'asc' },
  ],
};

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

  /** The projects a board or a people list covers: one the caller sees, or all of theirs. */
  private projectsOf(principal: Principal, projectId?: string): string[] | 'all' {
    if (projectId) return canSeeProject(principal, projectId) ? [projectId] : [];
    return principal.projects === 'all' ? 'all' : [...principal.projects];
  }

  /**
   * The active colleagues of the caller's projects, by name, for the pickers of
   * delegation, reassignment and transfer: who they are, their roles and projects.
   */
  async people(principal: Principal, q: PeopleQuery) {
    requireVisibleProject(principal, q.projectId);
    const projects = this.projectsOf(principal, q.projectId);
    const where: Prisma.UserWhereInput = {
      active: true,
      ...(projects === 'all' ? {} : { memberships: { some: { projectId: { in: projects } } } }),
      ...(q.role ? { roles: { some: { roleName: q.role } } } : {}),
      ...(q.q
        ? { OR: [{ displayName: { contains: q.q, mode: 'insensitive' } }, { username: { contains: q.q, mode: 'insensitive' } }] }
        : {}),
    };
    const { rows, nextCursor } = await pageOf(peopleList, q, { ...q, projects }, (page) =>
      this.prisma.user.findMany({
        where: page.after ? { AND: [where, page.after] } : where,
        select: personFields,
        orderBy: page.orderBy,
        take: page.take,
      }),
    );
    return { items: rows.map(presentPerson), nextCursor } satisfies Page<unknown>;
  }

  async board(principal: Principal, projectId?: string) {
    const projects = this.projectsOf(principal, projectId);
    const processFilter = projects === 'all' ? visibleProcesses(principal) : { projectId: { in: projects } };
    const [tasks, users] = await Promise.all([
      this.prisma.task.findMany({
        where: { status: 'open', process: processFilter },
        select: { assigneeRole: true, assigneeUserId: true, dueAt: true, escalationLevel: true, process: { select: { projectId: true } } },
      }),
      this.prisma.user.findMany({
        where: { active: true, ...(projects === 'all' ? {} : { memberships: { some: { projectId: { in: projects } } } }) },
        select: personFields,
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
      people: users.map(presentPerson),
    };
  }
}
