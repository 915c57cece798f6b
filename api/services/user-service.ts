import type { Prisma, PrismaClient } from '../../db/client';
import { type Page, type PagedList, pageOf } from './paging';
import { Conflict, InvalidInput, NotFound } from './errors';
import { DEFAULT_ROLES, PERMISSIONS, type Permission } from '../permissions';
import type { AuditService } from './audit-service';
import { hashPassword, type Principal } from './auth-service';

/** A new user, as the route's schema shapes it. */
export interface NewUser {
  username: string;
  displayName: string;
  email?: string;
  password: string;
  roles: string[];
  projects: string[];
}

/** Filters of the user list. */
export interface UserQuery {
  q?: string;
  role?: string;
  projectId?: string;
  active?: boolean;
  cursor?: string;
  limit: number;
}

const userList: PagedList = {
  resource: 'users',
  keys: [
    { field: 'username', kind: 'string', direction: 'asc' },
    { field: 'id', kind: 'string', direction: 'asc' },
  ],
};

/** A change of a user. */
export interface UserPatch {
  displayName?: string;
  email?: string | null;
  active?: boolean;
  roles?: string[];
  projects?: string[];
}

const publicUser = {
  id: true,
  username: true,
  displayName: true,
  email: true,
  active: true,
  lockedUntil: true,
  createdAt: true,
  roles: { select: { roleName: true } },
  memberships: { select: { projectId: true } },
} as const;

type UserRow = { roles: { roleName: string }[]; memberships: { projectId: string }[] } & Record<string, unknown>;
const present = ({ roles, memberships, ...u }: UserRow) => ({
  ...u,
  roles: roles.map((r) => r.roleName),
  projects: memberships.map((m) => m.projectId),
});

/**
 * Creates the default roles that are missing. Existing roles are left as an admin
 * edited them. Idempotent; run at start-up and by the seed.
 */
export async function ensureDefaultRoles(prisma: PrismaClient): Promise<void> {
  for (const [name, role] of Object.entries(DEFAULT_ROLES)) {
    await prisma.role.upsert({ where: { name }, create: { name, title: role.title, permissions: role.permissions }, update: {} });
  }
}

/** Users, roles and projects: what an admin manages. Every change is audited. */
export class UserService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
  ) {}

  /** Users by username, a page at a time; searched by username or name, filtered by role, project and whether active. */
  async listUsers(q: UserQuery) {
    const where: Prisma.UserWhereInput = {
      ...(q.q
        ? { OR: [{ username: { contains: q.q, mode: 'insensitive' } }, { displayName: { contains: q.q, mode: 'insensitive' } }] }
        : {}),
      ...(q.role ? { roles: { some: { roleName: q.role } } } : {}),
      ...(q.projectId ? { memberships: { some: { projectId: q.projectId } } } : {}),
      ...(q.active === undefined ? {} : { active: q.active }),
    };
    const [{ rows, nextCursor }, total] = await Promise.all([
      pageOf(userList, q, q, (page) =>
        this.prisma.user.findMany({
          where: page.after ? { AND: [where, page.after] } : where,
          select: publicUser,
          orderBy: page.orderBy,
          take: page.take,
        }),
      ),
      q.cursor === undefined ? this.prisma.user.count({ where }) : undefined,
    ]);
    return { items: rows.map(present), nextCursor, ...(total === undefined ? {} : { total }) } satisfies Page<unknown>;
  }

  async createUser(principal: Principal, user: NewUser) {
    await this.checkRolesAndProjects(user.roles, user.projects);
    const passwordHash = await hashPassword(user.password);
    return this.prisma.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({ where: { username: user.username } });
      if (existing) throw new Conflict(`User ${user.username} already exists`);
      const created = await tx.user.create({
        data: {
          username: user.username,
          displayName: user.displayName,
          email: user.email ?? null,
          passwordHash,
          roles: { create: user.roles.map((roleName) => ({ roleName })) },
          memberships: { create: user.projects.map((projectId) => ({ projectId })) },
        },
        select: publicUser,
      });
      const after = present(created);
      await this.audit.append(tx, { actor: principal, action: 'user.create', objectType: 'user', objectId: created.id, after });
      return after;
    });
  }

  async updateUser(principal: Principal, id: string, patch: UserPatch) {
    await this.checkRolesAndProjects(patch.roles ?? [], patch.projects ?? []);
    return this.prisma.$transaction(async (tx) => {
      const before = await tx.user.findUnique({ where: { id }, select: publicUser });
      if (!before) throw new NotFound(`User ${id}`);
      await tx.user.update({
        where: { id },
        data: {
          displayName: patch.displayName,
          email: patch.email,
          active: patch.active,
          ...(patch.roles ? { roles: { deleteMany: {}, create: patch.roles.map((roleName) => ({ roleName })) } } : {}),
          ...(patch.projects ? { memberships: { deleteMany: {}, create: patch.projects.map((projectId) => ({ projectId })) } } : {}),
        },
      });
      if (patch.active === false) await tx.session.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: new Date() } });
      const after = present((await tx.user.findUniqueOrThrow({ where: { id }, select: publicUser })) as UserRow);
      await this.audit.append(tx, {
        actor: principal,
        action: 'user.update',
        objectType: 'user',
        objectId: id,
        before: present(before as UserRow),
        after,
      });
      return after;
    });
  }

  listRoles() {
    return this.prisma.role.findMany({ orderBy: { name: 'asc' } });
  }

  /** Sets a role's permissions, creating the role if it is new. */
  async putRole(principal: Principal, name: string, role: { title: string; permissions: Permission[] }) {
    const unknown = role.permissions.filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
    if (unknown.length)
      throw new InvalidInput(
        'Unknown permissions',
        unknown.map((p) => ({ field: 'permissions', reason: `unknown permission ${p}` })),
      );
    return this.prisma.$transaction(async (tx) => {
      const before = await tx.role.findUnique({ where: { name } });
      const after = await tx.role.upsert({ where: { name }, create: { name, ...role }, update: role });
      await this.audit.append(tx, {
        actor: principal,
        action: before ? 'role.update' : 'role.create',
        objectType: 'role',
        objectId: name,
        before: before ?? undefined,
        after,
      });
      return after;
    });
  }

  listProjects(principal: Principal) {
    return this.prisma.project.findMany({
      where: principal.projects === 'all' ? {} : { id: { in: [...principal.projects] } }, // projects by their own id
      orderBy: { id: 'asc' },
    });
  }

  async createProject(principal: Principal, project: { id: string; name: string }) {
    return this.prisma.$transaction(async (tx) => {
      if (await tx.project.findUnique({ where: { id: project.id } })) throw new Conflict(`Project ${project.id} already exists`);
      const created = await tx.project.create({ data: project });
      await this.audit.append(tx, {
        actor: principal,
        action: 'project.create',
        objectType: 'project',
        objectId: project.id,
        after: created,
      });
      return created;
    });
  }

  private async checkRolesAndProjects(roles: string[], projects: string[]): Promise<void> {
    const [knownRoles, knownProjects] = await Promise.all([
      this.prisma.role.findMany({ where: { name: { in: roles } }, select: { name: true } }),
      this.prisma.project.findMany({ where: { id: { in: projects } }, select: { id: true } }),
    ]);
    const details = [
      ...roles.filter((r) => !knownRoles.some((k) => k.name === r)).map((r) => ({ field: 'roles', reason: `unknown role ${r}` })),
      ...projects.filter((p) => !knownProjects.some((k) => k.id === p)).map((p) => ({ field: 'projects', reason: `unknown project ${p}` })),
    ];
    if (details.length) throw new InvalidInput('Unknown roles or projects', details);
  }
}
