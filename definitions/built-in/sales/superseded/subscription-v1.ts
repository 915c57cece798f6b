import type { ProcessDefinition } from '../../../types';
import * as forms from '../forms';
import { task } from '../task';

const ROLES = ['sales_agent', 'sales_service', 'sales_supervisor', 'general_manager', 'management'];

/**
 * Version 1, superseded by version 2 (`../subscription.ts`); kept so recorded
 * histories and running instances keep their definition.
 *
 * 5.5 — a buyer's subscription: deposit (holds the unit; a unit another subscription
 * holds is refused), agreement (or abandonment: the unit is released and the
 * deposit refund recorded), deal-customer archive, handover to sales service.
 */
export const subscriptionV1: ProcessDefinition = {
  key: 'subscription',
  version: 1,
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
        form: forms.subscriptionAgreement,
        record: 'subscription-agreement',
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
        form: forms.dealArchive,
        record: 'deal-customer-archive',
        due: { workingDays: 1 },
      }),
      task({
        id: 'handover',
        title: '转入销售服务组 Hand over to sales service',
        role: 'sales_service',
        form: forms.handoverRecord,
        record: 'handover-record',
        due: { workingDays: 2 },
      }),
      { kind: 'activity', id: 'sell-unit', activity: 'units.sell', input: { unitId: { var: 'deposit.unitId' } } },
    ],
  },
};
