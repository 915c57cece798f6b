import type { ProcessDefinition, Step } from '../../types';
import * as forms from './forms';
import { task } from './task';

const item = (id: string, title: string, role = 'marketing'): Step =>
  task({
    id,
    title,
    role,
    form: forms.executionRecord,
    record: role === 'marketing' ? 'marketing-execution' : 'site-update',
    due: { workingDays: 10 },
  });

/**
 * 5.11 — marketing executes the confirmed phase marketing plan: advertising,
 * events, channel building, outdoor packaging; the design consultant updates the
 * show flat, reception hall and sales path; the sales team checks it is complete.
 * The launch starts it without waiting (5.12: the next phase's sales plan runs
 * beside it), and cancels it if the project is sold out or closed first.
 */
export const marketingExecution: ProcessDefinition = {
  key: 'marketing-execution',
  version: 1,
  title: '营销推广执行 Marketing execution',
  roles: ['marketing', 'design_consultant', 'sales_supervisor', 'general_manager', 'management'],
  starters: ['marketing', 'sales_supervisor'],
  input: [{ name: 'phase', label: '阶段 Phase', type: 'integer', required: true, min: 1 }],
  root: {
    kind: 'sequence',
    id: 'main',
    steps: [
      {
        kind: 'parallel',
        id: 'execution',
        branches: [
          item('ad-release', '广告发布 Release the advertising'),
          item('events', '活动推广 Run the events'),
          item('channels', '渠道建设 Build the channels'),
          item('outdoor-packaging', '户外包装 Outdoor packaging'),
          item('site-updates', '样板间、接待厅、销售动线更新 Show flat, reception hall, sales path', 'design_consultant'),
        ],
      },
      task({
        id: 'completeness-check',
        title: '检查执行完整性 Check execution is complete',
        role: 'sales_supervisor',
        form: forms.completenessCheck,
        record: 'execution-completeness-check',
        due: { workingDays: 2 },
      }),
    ],
  },
};
