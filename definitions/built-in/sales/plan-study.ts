import type { ProcessDefinition } from '../../types';
import * as forms from './forms';
import { task } from './task';

/** 5.2 — one team member studies the overall plan, the sales manual and the positioning documents. */
export const planStudy: ProcessDefinition = {
  key: 'plan-study',
  version: 1,
  title: '学习销售计划 Study the plan',
  roles: ['sales_agent', 'sales_supervisor', 'general_manager', 'management'],
  starters: ['sales_supervisor'],
  input: [{ name: 'member', label: 'Team member (user id)', type: 'string', required: true }],
  root: task({
    id: 'acknowledge',
    title: '学习总体计划、销售手册与定位文件 Study the plan, the manual and the positioning',
    role: 'sales_agent',
    assignTo: { userFrom: 'member' },
    form: forms.planAcknowledgement,
    record: 'plan-acknowledgement',
    due: { workingDays: 2 },
  }),
};
