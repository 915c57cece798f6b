import type { ProcessDefinition } from '../../../types';
import * as forms from '../forms';
import { task } from '../task';

const ROLES = ['sales_agent', 'sales_service', 'sales_supervisor', 'general_manager', 'management'];

/**
 * Version 1, superseded by version 2 (`../visitor-reception.ts`); kept so recorded
 * histories and running instances keep their definition.
 *
 * 5.4–5.6 — one visitor: reception; a buyer goes into subscription; anyone else is
 * registered by intent level and followed up at a cadence set by that level (or at
 * the next contact the agent planned) until they buy or are lost. A registered
 * visitor who comes back and buys goes into subscription from this same process.
 */
export const visitorReceptionV1: ProcessDefinition = {
  key: 'visitor-reception',
  version: 1,
  title: '到访接待 Visitor reception',
  roles: ROLES,
  starters: ['sales_agent', 'sales_supervisor'],
  input: [
    { name: 'visitorName', label: 'Visitor', type: 'string', required: true, max: 100 },
    { name: 'phone', label: 'Phone', type: 'string', required: true, max: 30 },
  ],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      task({
        id: 'reception',
        title: '现场接待 Receive the visitor',
        role: 'sales_agent',
        assignTo: { userFrom: 'startedBy.userId' },
        form: forms.receptionRecord,
        record: 'reception-record',
        due: { hours: 4 },
      }),
      {
        kind: 'decision',
        id: 'buys-now',
        branches: [
          {
            when: { var: 'reception.decision', op: 'eq', value: 'buy' },
            step: {
              kind: 'subprocess',
              id: 'subscription-now',
              definition: 'subscription',
              input: { visitorName: { var: 'visitorName' }, phone: { var: 'phone' }, agentId: { var: 'startedBy.userId' } },
            },
          },
        ],
        otherwise: {
          kind: 'sequence',
          id: 'registration-and-follow-up',
          steps: [
            task({
              id: 'registration',
              title: '《到访客户意向登记表》 Register the visitor’s intent',
              role: 'sales_agent',
              assignTo: { userFrom: 'startedBy.userId' },
              form: forms.intentRegistration,
              record: 'visitor-intent-registration',
              due: { hours: 24 },
            }),
            {
              kind: 'loop',
              id: 'follow-ups',
              maxIterations: 20,
              while: { not: { var: 'follow-up.result', op: 'in', value: ['buy', 'lost'] } },
              body: task({
                id: 'follow-up',
                title: '客户跟踪 Follow up',
                role: 'sales_agent',
                assignTo: { userFrom: 'startedBy.userId' },
                form: forms.followUpEntry,
                record: 'customer-follow-up',
                // The contact the agent planned; otherwise the cadence of the intent level.
                due: {
                  atVariable: ['follow-up.nextContactAt', 'registration.nextContactAt'],
                  ifMissing: {
                    byValueOf: ['follow-up.intentLevel', 'registration.intentLevel'],
                    cases: { A: { workingDays: 2 }, B: { workingDays: 5 }, C: { workingDays: 10 } },
                    otherwise: { workingDays: 5 },
                  },
                },
              }),
            },
            {
              kind: 'decision',
              id: 'comes-back',
              branches: [
                {
                  when: { var: 'follow-up.result', op: 'eq', value: 'buy' },
                  step: {
                    kind: 'subprocess',
                    id: 'subscription-later',
                    definition: 'subscription',
                    input: { visitorName: { var: 'visitorName' }, phone: { var: 'phone' }, agentId: { var: 'startedBy.userId' } },
                  },
                },
              ],
            },
          ],
        },
      },
    ],
  },
};
