import { z } from 'zod';
import { MAX_YUAN } from '../../domain';
import { CUSTOMER_STAGES, DEAL_STAGES, FOLLOW_UP_CHANNELS } from '../../domain';
import { route } from '../http';
import { customerListResponse, customerRegisterResponse, customerShowResponse, dealListResponse, orderListResponse } from './responses';
import type { Services } from '../services';
import { booleanQuery, idempotencyKey, paging } from './route-helpers';

const idParams = z.strictObject({ id: z.string().min(1).max(100) });
const tags = z.array(z.string().trim().min(1).max(30)).max(20);

/** Customers (客户), their deals (商机) and orders: the customer service's routes. */
export function customerRoutes(s: Services) {
  return [
    route({
      id: 'customers.list',
      scope: 'customer',
      response: customerListResponse,
      method: 'get',
      path: '/api/customers',
      access: 'customers.read',
      summary: "Customers of the caller's projects, searched by name, phone or tag; others' phones masked",
      query: z.strictObject({
        projectId: z.string().min(1).optional(),
        q: z.string().trim().min(1).max(100).optional(),
        tag: z.string().min(1).max(30).optional(),
        stage: z.enum(CUSTOMER_STAGES).optional(),
        owner: z.union([z.literal('me'), z.uuid()]).optional(),
        archived: booleanQuery.optional(),
        sort: z.enum(['updated', 'created', 'name']).optional(),
        ...paging,
      }),
      handler: async ({ principal, query }) => ({ body: await s.customers.list(principal, query) }),
    }),
    route({
      id: 'customers.register',
      scope: 'project',
      response: customerRegisterResponse,
      method: 'post',
      path: '/api/customers',
      access: 'customers.write',
      summary: 'Register a customer for oneself (报备): 201 new, 200 one’s own returning, 409 another agent’s protected customer',
      body: z.strictObject({
        projectId: z.string().min(1),
        name: z.string().trim().min(1).max(100),
        phone: z.string().min(1).max(30),
        source: z.string().max(50).optional(),
        tags: tags.optional(),
      }),
      handler: async ({ principal, body }) => {
        const result = await s.customers.register(principal, body);
        return { status: result.created ? 201 : 200, body: result };
      },
    }),
    route({
      id: 'customers.export',
      scope: 'customer',
      method: 'get',
      path: '/api/customers/export',
      access: 'customers.export',
      summary: "A project's customers with full phones (audited)",
      query: z.strictObject({ projectId: z.string().min(1) }),
      handler: async ({ principal, query }) => ({ body: await s.customers.export(principal, query.projectId) }),
    }),
    route({
      id: 'customers.transfer',
      scope: 'project',
      method: 'post',
      path: '/api/customers/transfer',
      access: 'customers.transfer',
      summary: 'Move one or many customers to another agent (audited)',
      body: z.strictObject({
        customerIds: z.array(z.string().min(1).max(100)).min(1).max(500),
        toUserId: z.string().min(1).max(100),
        reason: z.string().trim().min(1).max(500),
      }),
      handler: async ({ principal, body }) => ({
        body: await s.customers.transfer(principal, body.customerIds, body.toUserId, body.reason),
      }),
    }),
    route({
      id: 'customers.show',
      scope: 'customer',
      response: customerShowResponse,
      method: 'get',
      path: '/api/customers/:id',
      access: 'customers.read',
      summary: 'One customer in full with timeline, deals, orders and service cases (owner, or a role that reads all)',
      params: idParams,
      handler: async ({ principal, params }) => ({ body: await s.customers.get(principal, params.id) }),
    }),
    route({
      id: 'customers.update',
      scope: 'customer',
      method: 'patch',
      path: '/api/customers/:id',
      access: 'customers.write',
      summary: 'Rename, tag, archive or un-archive a customer',
      params: idParams,
      body: z.strictObject({ name: z.string().trim().min(1).max(100).optional(), tags: tags.optional(), archived: z.boolean().optional() }),
      handler: async ({ principal, params, body }) => ({ body: await s.customers.update(principal, params.id, body) }),
    }),
    route({
      id: 'customers.followUp',
      scope: 'customer',
      method: 'post',
      path: '/api/customers/:id/follow-ups',
      access: 'customers.write',
      summary: 'Record a follow-up: when, how, result, next contact',
      params: idParams,
      body: z.strictObject({
        at: z.coerce.date().optional(),
        channel: z.enum(FOLLOW_UP_CHANNELS),
        result: z.string().trim().min(1).max(200),
        notes: z.string().max(4000).optional(),
        nextContactAt: z.coerce.date().optional(),
      }),
      handler: async ({ principal, params, body }) => ({ status: 201, body: await s.customers.followUp(principal, params.id, body) }),
    }),
    route({
      id: 'customers.serviceCase',
      scope: 'customer',
      method: 'post',
      path: '/api/customers/:id/service-cases',
      access: 'customers.write',
      summary: 'Register an after-sales case (售后): a complaint or a service request, followed to resolution',
      params: idParams,
      body: z.strictObject({
        kind: z.enum(['complaint', 'repair', 'delivery', 'contract-question']),
        description: z.string().trim().min(1).max(4000),
      }),
      handler: async ({ principal, params, body, req }) => ({
        status: 201,
        body: await s.customers.openServiceCase(principal, params.id, body, idempotencyKey(req.get('idempotency-key'))),
      }),
    }),
    route({
      id: 'deals.list',
      scope: 'customer',
      response: dealListResponse,
      method: 'get',
      path: '/api/deals',
      access: 'customers.read',
      summary: 'Deals (商机) of the customers the caller sees in full',
      query: z.strictObject({
        projectId: z.string().min(1).optional(),
        stage: z.enum(DEAL_STAGES).optional(),
        customerId: z.uuid().optional(),
        ...paging,
      }),
      handler: async ({ principal, query }) => ({ body: await s.customers.deals(principal, query) }),
    }),
    route({
      id: 'orders.list',
      scope: 'customer',
      response: orderListResponse,
      method: 'get',
      path: '/api/orders',
      access: 'customers.read',
      summary: 'Subscriptions and contracts with payments (late ones marked) and refunds',
      query: z.strictObject({
        projectId: z.string().min(1).optional(),
        kind: z.enum(['subscription', 'contract']).optional(),
        status: z.enum(['draft', 'approved', 'signed', 'cancelled']).optional(),
        customerId: z.uuid().optional(),
        ...paging,
      }),
      handler: async ({ principal, query }) => ({ body: await s.customers.orders(principal, query) }),
    }),
    route({
      id: 'orders.cancel',
      scope: 'customer',
      method: 'post',
      path: '/api/orders/:id/cancel',
      access: 'customers.write',
      summary: 'Start the cancellation (退订/退房) of an order: approval, unit released, refund tracked',
      params: idParams,
      body: z.strictObject({ reason: z.string().trim().min(1).max(2000), refundAmount: z.number().min(0).max(MAX_YUAN).multipleOf(0.01) }),
      handler: async ({ principal, params, body, req }) => ({
        status: 201,
        body: await s.customers.cancelOrder(principal, params.id, body, idempotencyKey(req.get('idempotency-key'))),
      }),
    }),
  ];
}
