import type { ProcessDefinition } from '../../types';
import * as forms from './forms';
import { gmPolicy, teamLeadPolicy } from './policies';
import { task } from './task';

// The orders after a subscription (issue 10): contract with its discount approval,
// payment schedule and receipts, cancellation with refund, and after-sales cases.
// Activities (activities/orders.ts) keep the orders, units and customers in step.

const ROLES = ['sales_agent', 'sales_service', 'sales_supervisor', 'general_manager', 'management'];

/**
 * 折扣审批 — who approves a price below list, by the level the contract's terms
 * worked out from the limits in the settings: no one (within the agent's limit),
 * the supervisor, or the supervisor then the GM.
 */
export const discountApproval: ProcessDefinition = {
  key: 'discount-approval',
  version: 1,
  title: '折扣审批 Discount approval',
  roles: ROLES,
  starters: ['sales_supervisor'],
  input: [
    { name: 'orderId', type: 'string', required: true },
    { name: 'level', type: 'enum', options: ['agent', 'sales_supervisor', 'general_manager'], required: true },
    { name: 'discount', type: 'money', required: true },
  ],
  root: {
    kind: 'decision',
    id: 'by-level',
    branches: [
      {
        when: { var: 'level', op: 'eq', value: 'sales_supervisor' },
        step: {
          kind: 'approval',
          id: 'supervisor-approval',
          title: '折扣审批（主管）Discount approval: supervisor',
          approvers: [{ role: 'sales_supervisor', due: { workingDays: 1 }, deadline: teamLeadPolicy }],
          form: forms.approvalComment,
          record: 'discount-decision',
        },
      },
      {
        when: { var: 'level', op: 'eq', value: 'general_manager' },
        step: {
          kind: 'approval',
          id: 'gm-approval',
          title: '折扣审批（总经理）Discount approval: supervisor, then GM',
          approvers: [
            { role: 'sales_supervisor', due: { workingDays: 1 }, deadline: teamLeadPolicy },
            { role: 'general_manager', due: { workingDays: 1 }, deadline: gmPolicy },
          ],
          form: forms.approvalComment,
          record: 'discount-decision',
        },
      },
    ],
  },
};

/** 回款 — one instalment: the receipt is due on the instalment's date and escalates when late. */
export const paymentReceipt: ProcessDefinition = {
  key: 'payment-receipt',
  version: 1,
  title: '回款 Instalment receipt',
  roles: ROLES,
  starters: ['sales_supervisor'],
  input: [
    { name: 'orderId', type: 'string', required: true },
    { name: 'seq', type: 'integer', required: true, min: 1 },
    { name: 'dueAt', type: 'datetime', required: true },
    { name: 'amount', type: 'money', required: true },
    { name: 'agentId', type: 'string', required: true },
  ],
  root: task({
    id: 'receipt',
    title: '回款 Record the instalment received',
    role: 'sales_agent',
    assignTo: { userFrom: 'agentId' },
    form: forms.paymentReceipt,
    record: 'payment-receipt',
    onComplete: { activity: 'orders.receipt', input: { orderId: { var: 'orderId' }, seq: { var: 'seq' }, form: { var: '$form' } } },
    due: { atVariable: 'dueAt', ifMissing: { workingDays: 5 } },
  }),
};

/** 付款计划 — a contract's payment schedule: one receipt per instalment, all tracked at once; then paid. */
export const paymentSchedule: ProcessDefinition = {
  key: 'payment-schedule',
  version: 1,
  title: '付款计划与回款 Payment schedule and receipts',
  roles: ROLES,
  starters: ['sales_supervisor'],
  input: [
    { name: 'orderId', type: 'string', required: true },
    { name: 'instalments', type: 'list', required: true, min: 1 },
    { name: 'agentId', type: 'string', required: true },
  ],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      {
        kind: 'activity',
        id: 'schedule',
        activity: 'orders.schedule',
        input: { orderId: { var: 'orderId' }, instalments: { var: 'instalments' } },
      },
      {
        kind: 'subprocess',
        id: 'receipts',
        definition: 'payment-receipt',
        forEach: 'schedule.instalments',
        input: {
          orderId: { var: 'orderId' },
          seq: { var: '$item.seq' },
          dueAt: { var: '$item.dueAt' },
          amount: { var: '$item.amount' },
          agentId: { var: 'agentId' },
        },
      },
      { kind: 'activity', id: 'paid', activity: 'orders.paid', input: { orderId: { var: 'orderId' } } },
    ],
  },
};

/**
 * 签约 — the contract after a subscription: terms (price, payment method,
 * instalments); a discount below list goes through `discount-approval` (a refusal
 * sends the agent back to the terms); the signature sells the unit; then the
 * payment schedule runs to the last receipt.
 */
export const contract: ProcessDefinition = {
  key: 'contract',
  version: 1,
  title: '签约 Contract',
  roles: ROLES,
  starters: ['sales_agent', 'sales_supervisor'],
  input: [
    { name: 'customerId', type: 'string', required: true },
    { name: 'unitId', type: 'unit', required: true },
    { name: 'agentId', type: 'string', required: true },
  ],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      {
        kind: 'loop',
        id: 'terms-rounds',
        maxIterations: 5,
        while: { not: { var: 'approved.approved', op: 'truthy' } },
        body: {
          kind: 'sequence',
          id: 'round',
          steps: [
            task({
              id: 'terms',
              title: '签约条件 Contract terms',
              role: 'sales_agent',
              assignTo: { userFrom: 'agentId' },
              form: forms.contractTerms,
              record: 'contract-terms',
              onComplete: {
                activity: 'orders.quote',
                input: {
                  customerId: { var: 'customerId' },
                  unitId: { var: 'unitId' },
                  agentId: { var: 'agentId' },
                  form: { var: '$form' },
                },
              },
              due: { workingDays: 3 },
            }),
            {
              kind: 'subprocess',
              id: 'discount',
              definition: 'discount-approval',
              input: {
                orderId: { var: 'terms.effect.orderId' },
                level: { var: 'terms.effect.level' },
                discount: { var: 'terms.effect.discount' },
              },
            },
            { kind: 'activity', id: 'approved', activity: 'orders.approve', input: { orderId: { var: 'terms.effect.orderId' } } },
          ],
        },
      },
      {
        kind: 'decision',
        id: 'agreed',
        branches: [
          { when: { not: { var: 'approved.approved', op: 'truthy' } }, step: { kind: 'end', id: 'no-terms', outcome: 'rejected' } },
        ],
      },
      task({
        id: 'sign',
        title: '签订合同 Sign the contract',
        role: 'sales_agent',
        assignTo: { userFrom: 'agentId' },
        form: forms.contractSignature,
        record: 'contract',
        onComplete: { activity: 'orders.sign', input: { orderId: { var: 'terms.effect.orderId' }, form: { var: '$form' } } },
        due: { workingDays: 5 },
      }),
      {
        kind: 'subprocess',
        id: 'payments',
        definition: 'payment-schedule',
        input: { orderId: { var: 'terms.effect.orderId' }, instalments: { var: 'terms.instalments' }, agentId: { var: 'agentId' } },
      },
    ],
  },
};

/**
 * 退订/退房 — cancelling an order after subscription (the supervisor approves) or
 * after contract (the supervisor, then the GM): the unit is released, the orders
 * cancelled, the customer lost with the reason; sales service pays the refund.
 */
export const orderCancellation: ProcessDefinition = {
  key: 'order-cancellation',
  version: 1,
  title: '退订/退房 Order cancellation',
  roles: ROLES,
  // No starter roles: it is started through POST /api/orders/:id/cancel, which
  // checks that the caller may see the order's customer.
  input: [
    { name: 'orderId', type: 'string', required: true },
    { name: 'reason', type: 'text', required: true },
    { name: 'refundAmount', type: 'money', required: true, min: 0 },
  ],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      { kind: 'activity', id: 'check', activity: 'orders.checkCancellation', input: { orderId: { var: 'orderId' } }, maxAttempts: 1 },
      {
        kind: 'decision',
        id: 'after',
        branches: [
          {
            when: { var: 'check.after', op: 'eq', value: 'contract' },
            step: {
              kind: 'approval',
              id: 'contract-cancellation',
              title: '退房审批 Cancellation after contract: supervisor, then GM',
              approvers: [
                { role: 'sales_supervisor', due: { workingDays: 1 }, deadline: teamLeadPolicy },
                { role: 'general_manager', due: { workingDays: 2 }, deadline: gmPolicy },
              ],
              form: forms.approvalComment,
              record: 'cancellation-decision',
            },
          },
        ],
        otherwise: {
          kind: 'approval',
          id: 'subscription-cancellation',
          title: '退订审批 Cancellation after subscription: supervisor',
          approvers: [{ role: 'sales_supervisor', due: { workingDays: 1 }, deadline: teamLeadPolicy }],
          form: forms.approvalComment,
          record: 'cancellation-decision',
        },
      },
      {
        kind: 'activity',
        id: 'cancel',
        activity: 'orders.cancel',
        input: { orderId: { var: 'orderId' }, reason: { var: 'reason' }, amount: { var: 'refundAmount' } },
      },
      task({
        id: 'refund',
        title: '退款 Pay the refund',
        role: 'sales_service',
        form: forms.refundPayment,
        record: 'refund',
        onComplete: { activity: 'orders.refund', input: { form: { var: '$form' } } },
        due: { workingDays: 5 },
      }),
    ],
  },
};

/**
 * 售后 — a complaint or service request: sales service registers it (starts the
 * process), assigns it, and the assignee resolves it within the SLA of its kind;
 * late, it climbs to the supervisor, the GM, then management. The customer's
 * timeline shows it from opening to resolution.
 */
export const afterSales: ProcessDefinition = {
  key: 'after-sales',
  version: 1,
  title: '售后服务 After-sales case',
  roles: ROLES,
  // No starter roles: a case is registered through POST /api/customers/:id/service-cases,
  // which checks that the caller may see the customer.
  input: [
    { name: 'customerId', type: 'string', required: true },
    { name: 'kind', type: 'enum', options: ['complaint', 'repair', 'delivery', 'contract-question'], required: true },
    { name: 'description', type: 'text', required: true, max: 4000 },
  ],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      {
        kind: 'activity',
        id: 'open',
        activity: 'service.open',
        input: { customerId: { var: 'customerId' }, kind: { var: 'kind' }, description: { var: 'description' } },
      },
      task({ id: 'assign', title: '分派 Assign the case', role: 'sales_service', form: forms.serviceAssignment, due: { hours: 4 } }),
      task({
        id: 'resolve',
        title: '处理 Resolve the case',
        role: 'sales_service',
        assignTo: { userFrom: 'assign.assigneeId' },
        form: forms.serviceResolution,
        record: 'service-resolution',
        onComplete: { activity: 'service.resolve', input: { form: { var: '$form' } } },
        due: {
          byValueOf: 'kind',
          cases: { complaint: { workingDays: 1 }, repair: { workingDays: 5 }, delivery: { workingDays: 3 } },
          otherwise: { workingDays: 2 },
        },
      }),
    ],
  },
};
