import type { ApprovalStep, ProcessDefinition } from '../types';

/**
 * The walking skeleton's process: the sales supervisor approves, then the
 * general manager. Either may reject, which ends the process as rejected.
 * Overdue approvals climb the chain: supervisor → GM → management.
 *
 * Version 1, superseded by version 2 (below); kept so recorded histories and
 * running instances keep their definition.
 */
export const twoLevelApprovalV1: ProcessDefinition = {
  key: 'two-level-approval',
  version: 1,
  title: 'Two-level approval',
  description: 'A request approved by the sales supervisor and then by the general manager.',
  roles: ['sales_supervisor', 'general_manager', 'management'],
  input: [
    { name: 'subject', label: 'Subject', type: 'string', required: true, max: 200 },
    { name: 'details', label: 'Details', type: 'text', max: 5000 },
    { name: 'amount', label: 'Amount', type: 'money', min: 0 },
  ],
  root: {
    kind: 'approval',
    id: 'approve',
    title: 'Approve the request',
    form: [{ name: 'comment', label: 'Comment', type: 'text', max: 2000 }],
    approvers: [
      {
        role: 'sales_supervisor',
        due: { workingDays: 1 },
        deadline: {
          remindAt: [0.5],
          escalate: [
            { atFraction: 1, toRole: 'general_manager' },
            { atFraction: 2, toRole: 'management' },
          ],
        },
      },
      {
        role: 'general_manager',
        due: { workingDays: 2 },
        deadline: { remindAt: [0.5], escalate: [{ atFraction: 1, toRole: 'management' }] },
      },
    ],
  },
};

/**
 * Version 2: version 1 named in both languages (`中文 English`, shown in the
 * user's language), as the sales definitions are; a Chinese screen showed
 * "Two-level approval" and "Approve the request".
 */
export const twoLevelApproval: ProcessDefinition = {
  ...twoLevelApprovalV1,
  version: 2,
  title: '两级审批 Two-level approval',
  description: '由销售主管审批、再由总经理审批的申请。 A request approved by the sales supervisor and then by the general manager.',
  root: { ...(twoLevelApprovalV1.root as ApprovalStep), title: '审批申请 Approve the request' },
};
