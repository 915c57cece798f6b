import { ArrowDownOutlined } from '@ant-design/icons';
import { Space, Tag, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { DefinitionSummary, ProcessDefinition, Step, StepStatus, Task } from '../api/types';
import { api } from '../api/client';
import { useApi } from '../api/use-api';
import { labelOf, useLabels } from '../i18n/labels';
import { href } from '../router';
import { STEP_BORDERS, STEP_COLORS } from './common';

/** A step's state: the API's step states where the process runs, its tasks otherwise. */
export type StepState = StepStatus | 'pending';

/**
 * The state of a step by its id. Step keys are scoped (`loop[2]/call`): the last key
 * ending in the id is its latest run. A finished process has no live states; its
 * tasks then tell which human steps completed.
 */
export function stepStateOf(id: string, steps: Record<string, StepStatus> | null, tasks: Task[]): StepState {
  if (steps) {
    const keys = Object.keys(steps).filter((k) => k === id || k.endsWith(`/${id}`));
    const last = keys[keys.length - 1];
    if (last) return steps[last]!;
  }
  const mine = tasks.filter((t) => t.stepId === id);
  if (mine.some((t) => t.status === 'open')) return 'running';
  if (mine.some((t) => t.status === 'completed')) return mine.some((t) => t.outcome === 'reject') ? 'rejected' : 'completed';
  return 'pending';
}

interface DiagramProps {
  definition: ProcessDefinition;
  processId: string;
  steps: Record<string, StepStatus> | null;
  tasks: Task[];
}

/**
 * The process drawn from its definition: a sequence top to bottom, parallel branches
 * and decisions side by side, loops framed, sub-processes as links, and every step
 * coloured by its state.
 */
export function ProcessDiagram({ definition, processId, steps, tasks }: DiagramProps) {
  const { t, stepStatus } = useLabels();
  // `skipped` only after a migration passed steps over: shown when there are some.
  const legend: StepState[] = [
    'pending',
    'running',
    'waiting',
    'completed',
    'rejected',
    'failed',
    ...(Object.values(steps ?? {}).includes('skipped') ? (['skipped'] as const) : []),
  ];
  return (
    <div>
      <Space wrap size={4} style={{ marginBottom: 12 }} aria-label={t('common.status')}>
        {legend.map((s) => (
          <Tag key={s} style={{ background: STEP_COLORS[s], borderColor: STEP_BORDERS[s], color: 'rgba(0,0,0,0.88)' }}>
            {stepStatus(s)}
          </Tag>
        ))}
      </Space>
      <div className="diagram" data-testid="diagram">
        <StepView step={definition.root} processId={processId} steps={steps} tasks={tasks} scope="" />
      </div>
    </div>
  );
}

function StepView({
  step,
  processId,
  steps,
  tasks,
  scope,
}: {
  step: Step;
  processId: string;
  steps: DiagramProps['steps'];
  tasks: Task[];
  scope: string;
}) {
  const { t, role, stepKind, stepStatus, text } = useLabels();
  // Sub-processes by their definitions' titles (one cached read for every box).
  const definitions = useApi(['/api/definitions'], () => api.get<DefinitionSummary[]>('/api/definitions'));
  const state = stepStateOf(step.id, steps, tasks);
  const group = (label: string, children: ReactNode, row = false) => (
    <div className="diagram-group" data-step={step.id} style={{ borderColor: STEP_BORDERS[state] }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {label}
      </Typography.Text>
      <div className={row ? 'diagram-row' : 'diagram'}>{children}</div>
    </div>
  );
  const child = (s: Step) => <StepView key={s.id} step={s} processId={processId} steps={steps} tasks={tasks} scope={scope} />;
  switch (step.kind) {
    case 'sequence':
      return (
        <div className="diagram">
          {step.steps.map((s, i) => (
            <div key={s.id} className="diagram">
              {i > 0 && (
                <div className="diagram-arrow" aria-hidden>
                  <ArrowDownOutlined />
                </div>
              )}
              {child(s)}
            </div>
          ))}
        </div>
      );
    case 'parallel':
      return group(
        t('process.parallel'),
        step.branches.map((b) => (
          <div key={b.id} style={{ flex: '1 1 200px', minWidth: 0 }}>
            {child(b)}
          </div>
        )),
        true,
      );
    case 'decision':
      return group(
        t('process.decision'),
        [
          ...step.branches.map((b, i) => (
            <div key={b.step.id} style={{ flex: '1 1 200px', minWidth: 0 }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {`#${i + 1}`}
              </Typography.Text>
              {child(b.step)}
            </div>
          )),
          ...(step.otherwise
            ? [
                <div key="otherwise" style={{ flex: '1 1 200px', minWidth: 0 }}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('process.otherwise')}
                  </Typography.Text>
                  {child(step.otherwise)}
                </div>,
              ]
            : []),
        ],
        true,
      );
    case 'loop':
      return group(`${t('process.loop')} ≤ ${step.maxIterations}`, child(step.body));
    default:
      break;
  }
  const title =
    'title' in step
      ? text(step.title)
      : step.kind === 'subprocess'
        ? text(definitions.data?.find((d) => d.key === step.definition)?.title) || t('process.subprocess', { key: step.definition })
        : step.kind === 'activity'
          ? labelOf('activities', step.activity)
          : stepKind(step.kind);
  const who =
    step.kind === 'task'
      ? role(step.role)
      : step.kind === 'approval'
        ? step.approvers.map((a) => role(a.role)).join(' → ')
        : step.kind === 'event'
          ? labelOf('events', step.event)
          : null;
  const content = (
    <div
      className="diagram-box"
      data-step={step.id}
      data-state={state}
      style={{ background: STEP_COLORS[state], borderColor: STEP_BORDERS[state] }}
    >
      <Space size={4} wrap>
        <Tag style={{ marginInlineEnd: 0 }}>{stepKind(step.kind)}</Tag>
        {step.kind === 'subprocess' ? (
          <a href={href(`/processes?parent=${encodeURIComponent(processId)}`)}>{title}</a>
        ) : (
          <Typography.Text strong>{title}</Typography.Text>
        )}
      </Space>
      <div style={{ fontSize: 12 }}>
        {who && <Typography.Text type="secondary">{who} · </Typography.Text>}
        <Typography.Text type="secondary">{stepStatus(state)}</Typography.Text>
      </div>
    </div>
  );
  return step.kind === 'approval' && step.revise ? (
    <Tooltip title={`${t('process.revise')}: ${role(step.revise.role)}`}>{content}</Tooltip>
  ) : (
    content
  );
}
