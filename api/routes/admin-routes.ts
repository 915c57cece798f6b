import { z } from 'zod';
import { PERMISSIONS } from '../permissions';
import { route } from '../http';
import { auditListResponse, projectListResponse, projectResponse, roleListResponse, userListResponse, userResponse } from './responses';
import { settingsPatchSchema, settingsSchema } from '../services/settings-service';
import { requireEveryProject } from '../services/access';
import type { Services } from '../services';
import { booleanQuery, paging } from './route-helpers';

const name = z.string().regex(/^[a-z][a-z0-9_]{1,49}$/, 'lower-case letters, digits and _');
const projectId = z.string().regex(/^[A-Za-z0-9_-]{1,50}$/, 'letters, digits, _ and -');

/** Users, roles, projects, settings and the audit trail. */
export function adminRoutes(s: Services) {
  return [
    route({
      id: 'users.list',
      scope: 'organisation',
      response: userListResponse,
      method: 'get',
      path: '/api/users',
      access: 'users.manage',
      summary: 'Users with roles and projects, by username, a page at a time; searched by name, filtered by role, project, active',
      query: z.strictObject({
        q: z.string().trim().min(1).max(100).optional(),
        role: z.string().min(1).max(50).optional(),
        projectId: z.string().min(1).max(50).optional(),
        active: booleanQuery.optional(),
        ...paging,
      }),
      handler: async ({ query }) => ({ body: await s.users.listUsers(query) }),
    }),
    route({
      id: 'users.create',
      scope: 'organisation',
      statuses: [201],
      response: userResponse,
      method: 'post',
      path: '/api/users',
      access: 'users.manage',
      summary: 'Create a user',
      body: z.strictObject({
        username: z.string().regex(/^[A-Za-z0-9._-]{2,50}$/, 'letters, digits, . _ -'),
        displayName: z.string().min(1).max(100),
        email: z.email().optional(),
        password: z.string().min(10, 'at least 10 characters').max(200),
        roles: z.array(name).default([]),
        projects: z.array(projectId).default([]),
      }),
      handler: async ({ principal, body }) => ({ status: 201, body: await s.users.createUser(principal, body) }),
    }),
    route({
      id: 'users.update',
      scope: 'organisation',
      response: userResponse,
      method: 'patch',
      path: '/api/users/:id',
      access: 'users.manage',
      summary: 'Change a user: name, e-mail, active, roles, projects',
      params: z.strictObject({ id: z.uuid() }),
      body: z.strictObject({
        displayName: z.string().min(1).max(100).optional(),
        email: z.email().nullable().optional(),
        active: z.boolean().optional(),
        roles: z.array(name).optional(),
        projects: z.array(projectId).optional(),
      }),
      handler: async ({ principal, params, body }) => ({ body: await s.users.updateUser(principal, params.id, body) }),
    }),
    route({
      id: 'roles.list',
      scope: 'organisation',
      response: roleListResponse,
      method: 'get',
      path: '/api/roles',
      access: 'users.manage',
      summary: 'Roles and their permissions, and every permission there is',
      handler: async () => ({ body: { roles: await s.users.listRoles(), permissions: PERMISSIONS } }),
    }),
    route({
      id: 'roles.put',
      scope: 'organisation',
      method: 'put',
      path: '/api/roles/:name',
      access: 'users.manage',
      summary: 'Create a role or replace its permissions',
      params: z.strictObject({ name }),
      body: z.strictObject({ title: z.string().min(1).max(100), permissions: z.array(z.enum(PERMISSIONS)) }),
      handler: async ({ principal, params, body }) => ({ body: await s.users.putRole(principal, params.name, body) }),
    }),
    route({
      id: 'projects.list',
      scope: 'own',
      response: projectListResponse,
      method: 'get',
      path: '/api/projects',
      access: 'signed-in',
      summary: 'The projects the caller may see',
      handler: async ({ principal }) => ({ body: await s.users.listProjects(principal) }),
    }),
    route({
      id: 'projects.create',
      scope: 'organisation',
      statuses: [201],
      response: projectResponse,
      method: 'post',
      path: '/api/projects',
      access: 'users.manage',
      summary: 'Create a project',
      body: z.strictObject({ id: projectId, name: z.string().min(1).max(200) }),
      handler: async ({ principal, body }) => ({ status: 201, body: await s.users.createProject(principal, body) }),
    }),
    route({
      id: 'settings.show',
      scope: 'organisation',
      response: settingsSchema.loose(),
      method: 'get',
      path: '/api/settings',
      access: 'settings.read',
      summary: 'Date format, currency symbol, locale, working calendar',
      handler: async () => ({ body: await s.settings.get() }),
    }),
    route({
      id: 'settings.update',
      scope: 'organisation',
      response: settingsSchema.loose(),
      method: 'patch',
      path: '/api/settings',
      access: 'settings.write',
      summary: 'Change some settings',
      body: settingsPatchSchema,
      handler: async ({ principal, body }) => ({ body: await s.settings.update(principal, body) }),
    }),
    route({
      id: 'audit.list',
      scope: 'organisation',
      response: auditListResponse,
      method: 'get',
      path: '/api/audit',
      access: 'audit.read',
      summary: 'The audit trail, by user, object and time range (it spans every project: needs projects.all as well)',
      query: z.strictObject({
        userId: z.uuid().optional(),
        objectType: z.string().optional(),
        objectId: z.string().optional(),
        from: z.iso
          .datetime({ offset: true })
          .transform((d) => new Date(d))
          .optional(),
        to: z.iso
          .datetime({ offset: true })
          .transform((d) => new Date(d))
          .optional(),
        ...paging,
      }),
      handler: async ({ principal, query }) => {
        requireEveryProject(principal, 'The audit trail');
        return { body: await s.audit.query(query) };
      },
    }),
  ];
}
