import type { ProcessDefinition } from '../../types';
import * as forms from './forms';
import { task } from './task';

const ROLES = ['sales_agent', 'sales_service', 'sales_supervisor', 'general_manager', 'management'];

/**
 * Version 2 (issue 10): the subscription finds the visitor's customer; the
 * 认购书 records the buyers, price, payment method, deposit credited, signing
 * deadline and number (all required when signed) as a subscription order; the
 * 成交客户档案 keeps who bought and why; then the contract (with its discount
 * approval and payment schedule) and the handover. Customer and deal stages move
 * with each step. Version 1 stays for the instances that started on it.
 */
export const subscription: ProcessDefinition = {
  key: 'subscription',
  version: 2,
  title: '认购 Subscription',
  roles: ROLES,
  starters: ['sales_agent', 'sales_supervisor'],
  input: [
    { name: 'visitorName', type: 'string', required: true },
    { name: 'phone', type: 'string', required: true },
    { name: 'agentId', type: 'string', required: true },
  ],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      {
        kind: 'activity',
        id: 'customer',
        activity: 'customers.register',
        input: { name: { var: 'visitorName' }, phone: { var: 'phone' }, agentId: { var: 'agentId' }, isVisit: { value: false } },
        maxAttempts: 1,
      },
      task({
        id: 'deposit',
        title: '收取预定金 Collect the deposit',
        role: 'sales_agent',
        assignTo: { userFrom: 'agentId' },
        form: forms.depositReceipt,
        record: 'deposit-receipt',
        onComplete: { activity: 'units.reserve', input: { unitId: { var: '$form.unitId' } } },
        due: { hours: 4 },
      }),
      task({
        id: 'agreement',
        title: '签订认购书 Sign the subscription agreement',
        role: 'sales_agent',
        assignTo: { userFrom: 'agentId' },
        form: forms.subscriptionAgreementV2,
        record: 'subscription-agreement',
        onComplete: {
          activity: 'orders.subscribe',
          input: {
            customerId: { var: 'customer.customerId' },
            unitId: { var: 'deposit.unitId' },
            agentId: { var: 'agentId' },
            form: { var: '$form' },
          },
        },
        due: { workingDays: 3 },
      }),
      {
        kind: 'decision',
        id: 'signed',
        branches: [
          {
            when: { var: 'agreement.result', op: 'eq', value: 'abandoned' },
            step: {
              kind: 'sequence',
              id: 'abandon',
              steps: [
                { kind: 'activity', id: 'release-unit', activity: 'units.release', input: { unitId: { var: 'deposit.unitId' } } },
                {
                  kind: 'activity',
                  id: 'lost',
                  activity: 'customers.stage',
                  input: { customerId: { var: 'customer.customerId' }, stage: { value: 'lost' }, reason: { var: 'agreement.reason' } },
                },
                task({
                  id: 'refund',
                  title: '退还预定金 Refund the deposit',
                  role: 'sales_agent',
                  assignTo: { userFrom: 'agentId' },
                  form: forms.depositRefund,
                  record: 'deposit-refund',
                  due: { workingDays: 2 },
                }),
                { kind: 'end', id: 'abandoned', outcome: 'rejected' },
              ],
            },
          },
        ],
      },
      { kind: 'activity', id: 'subscribe-unit', activity: 'units.subscribe', input: { unitId: { var: 'deposit.unitId' } } },
      task({
        id: 'archive',
        title: '《成交客户档案》 Deal-customer archive',
        role: 'sales_agent',
        assignTo: { userFrom: 'agentId' },
        form: forms.dealArchiveV2,
        record: 'deal-customer-archive',
        onComplete: {
          activity: 'customers.dealProfile',
          input: {
            customerId: { var: 'customer.customerId' },
            unitId: { var: 'deposit.unitId' },
            price: { var: 'agreement.price' },
            agentId: { var: 'agentId' },
            form: { var: '$form' },
          },
        },
        due: { workingDays: 1 },
      }),
      {
        kind: 'subprocess',
        id: 'contract',
        definition: 'contract',
        input: { customerId: { var: 'customer.customerId' }, unitId: { var: 'deposit.unitId' }, agentId: { var: 'agentId' } },
      },
      task({
        id: 'handover',
        title: '转入销售服务组 Hand over to sales service',
        role: 'sales_service',
        form: forms.handoverRecord,
        record: 'handover-record',
        due: { workingDays: 2 },
      }),
      {
        kind: 'activity',
        id: 'handed-over',
        activity: 'customers.stage',
        input: { customerId: { var: 'customer.customerId' }, stage: { value: 'handed_over' } },
      },
    ],
  },
};
