import { z } from 'zod';
import { route } from '../http';
import {
  deadLetterListResponse,
  notificationListResponse,
  notificationReadResponse,
  notificationsReadAllResponse,
  webhookListResponse,
  webhookResponse,
} from './responses';
import type { Services } from '../services';
import { paging } from './route-helpers';
import { AccountService } from '../services/account-service';
import { NotificationService, preferencesSchema, webhookSchema } from '../services/notification-service';

const password = z.string().min(10, 'at least 10 characters').max(200);

/**
 * The services of these routes, made on first use from the shared ones: building
 * the route table reads nothing and connects to nothing.
 */
function lazy(s: Services) {
  let notifications: NotificationService | undefined;
  let accounts: AccountService | undefined;
  return {
    notifications: () => (notifications ??= new NotificationService(s.prisma, s.config, s.audit, s.pgNotifications)),
    accounts: () => (accounts ??= new AccountService(s.prisma, s.audit, s.config)),
  };
}

/** The notification centre, preferences, group robots, dead letters, and an admin's password reset. */
export function notificationRoutes(s: Services) {
  const get = lazy(s);
  return [
    route({
      id: 'notifications.list',
      scope: 'own',
      response: notificationListResponse,
      method: 'get',
      path: '/api/notifications',
      access: 'signed-in',
      summary: "The caller's notifications, newest first, with the unread count",
      query: z.strictObject({
        unread: z
          .enum(['true', 'false'])
          .transform((v) => v === 'true')
          .optional(),
        ...paging,
      }),
      handler: async ({ principal, query }) => ({ body: await get.notifications().list(principal, query) }),
    }),
    route({
      id: 'notifications.stream',
      scope: 'own',
      produces: 'text/event-stream',
      method: 'get',
      path: '/api/notifications/stream',
      access: 'signed-in',
      summary: 'Server-sent events: the unread count, then each new notification as it arrives',
      query: z.strictObject({ maxSeconds: z.coerce.number().int().min(1).max(3600).default(600) }),
      handler: async ({ principal, req, res, query }) => {
        await get.notifications().stream(principal, req, res, query.maxSeconds);
        return undefined;
      },
    }),
    route({
      id: 'notifications.read',
      scope: 'own',
      response: notificationReadResponse,
      method: 'post',
      path: '/api/notifications/:id/read',
      access: 'signed-in',
      summary: 'Mark one notification read',
      params: z.strictObject({ id: z.uuid() }),
      handler: async ({ principal, params }) => ({ body: await get.notifications().markRead(principal, params.id) }),
    }),
    route({
      id: 'notifications.read_all',
      scope: 'own',
      response: notificationsReadAllResponse,
      method: 'post',
      path: '/api/notifications/read-all',
      access: 'signed-in',
      summary: "Mark all the caller's notifications read",
      handler: async ({ principal }) => ({ body: await get.notifications().markAllRead(principal) }),
    }),
    route({
      id: 'notifications.preferences.show',
      scope: 'own',
      method: 'get',
      path: '/api/me/notification-preferences',
      access: 'signed-in',
      summary: 'Channels, quiet hours, digest, language',
      handler: async ({ principal }) => ({ body: await get.notifications().getPreferences(principal) }),
    }),
    route({
      id: 'notifications.preferences.update',
      scope: 'own',
      method: 'put',
      path: '/api/me/notification-preferences',
      access: 'signed-in',
      summary: 'Change channels, quiet hours, digest, language',
      body: preferencesSchema,
      handler: async ({ principal, body }) => ({ body: await get.notifications().putPreferences(principal, body) }),
    }),
    route({
      id: 'notifications.dead_letters',
      scope: 'organisation',
      response: deadLetterListResponse,
      method: 'get',
      path: '/api/notifications/dead-letters',
      access: 'settings.write',
      summary: 'Deliveries that failed every attempt',
      query: z.strictObject({ ...paging }),
      handler: async ({ query }) => ({ body: await get.notifications().deadLetters(query) }),
    }),
    route({
      id: 'notifications.dead_letters.retry',
      scope: 'organisation',
      method: 'post',
      path: '/api/notifications/dead-letters/:id/retry',
      access: 'settings.write',
      summary: 'Queue a dead letter again',
      params: z.strictObject({
        id: z
          .string()
          .regex(/^\d{1,18}$/, 'a delivery id')
          .transform((v) => BigInt(v)),
      }),
      handler: async ({ principal, params }) => ({ body: await get.notifications().retryDeadLetter(principal, params.id) }),
    }),
    route({
      id: 'notifications.webhooks.list',
      scope: 'organisation',
      response: webhookListResponse,
      method: 'get',
      path: '/api/notification-webhooks',
      access: 'settings.write',
      summary: 'WeCom and DingTalk group robots',
      handler: async () => ({ body: await get.notifications().listWebhooks() }),
    }),
    route({
      id: 'notifications.webhooks.create',
      scope: 'organisation',
      statuses: [201],
      response: webhookResponse,
      method: 'post',
      path: '/api/notification-webhooks',
      access: 'settings.write',
      summary: 'Add a group robot for a project or a role',
      body: webhookSchema,
      handler: async ({ principal, body }) => ({ status: 201, body: await get.notifications().createWebhook(principal, body) }),
    }),
    route({
      id: 'notifications.webhooks.update',
      scope: 'organisation',
      response: webhookResponse,
      method: 'patch',
      path: '/api/notification-webhooks/:id',
      access: 'settings.write',
      summary: 'Change a group robot',
      params: z.strictObject({ id: z.uuid() }),
      body: webhookSchema.partial(),
      handler: async ({ principal, params, body }) => ({ body: await get.notifications().updateWebhook(principal, params.id, body) }),
    }),
    route({
      id: 'notifications.webhooks.delete',
      scope: 'organisation',
      statuses: [204],
      method: 'delete',
      path: '/api/notification-webhooks/:id',
      access: 'settings.write',
      summary: 'Remove a group robot',
      params: z.strictObject({ id: z.uuid() }),
      handler: async ({ principal, params }) => {
        await get.notifications().deleteWebhook(principal, params.id);
        return { status: 204 };
      },
    }),
    route({
      id: 'users.password_reset',
      scope: 'organisation',
      method: 'post',
      path: '/api/users/:id/password-reset',
      access: 'users.manage',
      summary: 'Set a temporary password; the user must change it at the next sign-in',
      params: z.strictObject({ id: z.uuid() }),
      body: z.strictObject({ temporaryPassword: password.optional() }),
      handler: async ({ principal, params, body }) => ({
        body: await get.accounts().resetPassword(principal, params.id, body.temporaryPassword),
      }),
    }),
  ];
}
