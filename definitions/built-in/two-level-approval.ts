import type { ApprovalStep, ProcessDefinition } from '../types';
import frozen from './frozen/two-level-approval@1.json';

/**
 * The walking skeleton's process: the sales supervisor approves, then the
 * general manager. Either may reject, which ends the process as rejected.
 * Overdue approvals climb the chain: supervisor → GM → management.
 *
 * Version 1, superseded by version 2 (below); kept so recorded histories and
 * running instances keep their definition. Frozen as published: its canonical JSON
 * (`frozen/two-level-approval@1.json`) is the definition; never edit it
 * (test/unit/definition-versions.test.ts holds its checksum).
 */
export const twoLevelApprovalV1 = frozen as unknown as ProcessDefinition;

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
