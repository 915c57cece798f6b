import type { ProcessDefinition } from '../../types';
import * as forms from './forms';
import { task } from './task';

const ROLES = ['sales_agent', 'sales_service', 'sales_supervisor', 'general_manager', 'management'];

/**
 * Version 2 (issue 10): the same procedure, recorded on the visitor's customer —
 * the reception finds or creates it for the agent (a returning visitor is
 * recognised; another agent's protected customer is refused), the registration
 * classifies it and opens its deal, each follow-up lands on its timeline with how
 * it was made — and a buyer goes into subscription version 2 (contract, payments).
 */
export const visitorReception: ProcessDefinition = {
  key: 'visitor-reception',
  version: 2,
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
        // The visitor's customer, found or created for the agent (报备); another
        // agent's protected customer refuses the reception, naming the owner.
        onComplete: {
          activity: 'customers.register',
          input: { name: { var: 'visitorName' }, phone: { var: 'phone' }, agentId: { var: 'startedBy.userId' } },
        },
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
              version: 2,
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
              onComplete: {
                activity: 'customers.classify',
                input: {
                  customerId: { var: 'reception.effect.customerId' },
                  agentId: { var: 'startedBy.userId' },
                  intentLevel: { var: '$form.intentLevel' },
                  needs: { var: '$form.needs' },
                  budget: { var: '$form.budget' },
                  source: { var: '$form.source' },
                  nextContactAt: { var: '$form.nextContactAt' },
                },
              },
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
                form: forms.followUpEntryV2,
                record: 'customer-follow-up',
                onComplete: {
                  activity: 'customers.followUp',
                  input: {
                    customerId: { var: 'reception.effect.customerId' },
                    agentId: { var: 'startedBy.userId' },
                    channel: { var: '$form.channel' },
                    result: { var: '$form.result' },
                    notes: { var: '$form.notes' },
                    intentLevel: { var: '$form.intentLevel' },
                    nextContactAt: { var: '$form.nextContactAt' },
                  },
                },
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
                    version: 2,
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
