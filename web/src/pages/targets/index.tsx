import { Button, DatePicker, Form, InputNumber, Progress, Select, Space, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../api/client';
import { loadPeople, loadProjects } from '../../api/shared';
import type { Target } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle, ResponsiveTable } from '../../components/common';
import { FormDialog } from '../../components/form-dialog';
import { Muted } from '../../components/text';
import { useMessage } from '../../feedback';
import { formatMoney, formatNumber } from '../../format';
import { useLabels } from '../../i18n/labels';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';
import { useProjectChoice } from '../../components/project-choice';
import { ProjectSelect } from '../../components/project-select';

const METRICS = ['units', 'amount', 'visits', 'followUps'] as const;
type Metric = (typeof METRICS)[number];

interface TargetForm {
  userId: string;
  period: 'month' | 'quarter';
  periodStart: Dayjs;
  units: number;
  amount: number;
  visits: number;
  followUps: number;
}

/** The first day of the month or quarter `day` falls in, as the API wants it. */
function periodStartOf(day: Dayjs, period: 'month' | 'quarter'): string {
  const month = period === 'quarter' ? Math.floor(day.month() / 3) * 3 : day.month();
  return day.month(month).date(1).format('YYYY-MM-DD');
}

/**
 * Sales targets (销售任务) per agent and for the team, per month or quarter, with
 * progress computed from the data (contracts signed, visits, follow-ups). The
 * supervisor assigns them here.
 */
export default function TargetsPage(_props: PageProps) {
  const { t, language } = useLabels();
  const { settings, can, me } = useSession();
  const message = useMessage();
  const projects = useApi(['/api/projects'], loadProjects);
  const [projectId, setProjectId] = useProjectChoice(projects.data);
  const [month, setMonth] = useState<Dayjs | null>(dayjs());
  const [editing, setEditing] = useState<Target | 'new' | null>(null);
  const manage = can('targets.manage');
  const people = useApi(projectId && manage ? ['/api/people', projectId, manage] : null, () => loadPeople(projectId));
  const targets = useApi(projectId ? ['/api/targets', projectId, month?.format('YYYY-MM')] : null, async () => {
    // A month shows its own targets and its quarter's.
    const starts = month ? [periodStartOf(month, 'month'), periodStartOf(month, 'quarter')] : [undefined];
    const lists = await Promise.all(
      [...new Set(starts)].map((periodStart) => api.get<Target[]>('/api/targets', { projectId, periodStart })),
    );
    return lists.flat();
  });
  const nameOf = (target: Target) =>
    target.team
      ? t('targets.team')
      : target.userId === me?.id
        ? me.displayName
        : (people.data?.find((p) => p.id === target.userId)?.displayName ?? t('targets.agent'));
  const value = (metric: Metric, n: number | string) =>
    metric === 'amount' ? formatMoney(n, settings, language) : formatNumber(n, language);
  const cell = (target: Target, metric: Metric) => {
    const goal = Number(target[metric]);
    const actual = target.progress[metric];
    const percent = goal > 0 ? Math.round((actual / goal) * 100) : 0;
    return (
      <Space direction="vertical" size={0} style={{ minWidth: 140 }}>
        <span>
          {value(metric, actual)} / {value(metric, goal)}
        </span>
        <Progress
          percent={Math.min(percent, 100)}
          format={() => `${percent}%`}
          size="small"
          status={percent >= 100 ? 'success' : 'normal'}
        />
      </Space>
    );
  };

  return (
    <>
      <PageTitle
        title={t('targets.title')}
        extra={
          <>
            <ProjectSelect id="targets-project" projects={projects.data} value={projectId} onChange={setProjectId} />
            <DatePicker picker="month" aria-label={t('targets.month')} value={month} onChange={setMonth} allowClear={false} />
            {manage && (
              <Button type="primary" onClick={() => setEditing('new')}>
                {t('targets.assign')}
              </Button>
            )}
          </>
        }
      />
      <LoadError error={targets.error ?? projects.error} />
      <Muted block style={{ marginBottom: 12 }}>
        {t('targets.explain')}
      </Muted>
      <ResponsiveTable<Target>
        rowKey="id"
        loading={targets.loading}
        dataSource={targets.data ?? []}
        pagination={false}
        empty={t('targets.none')}
        cardTitle={(x) => (
          <Space size={4}>
            {nameOf(x)}
            <Tag>{t(`targets.periods.${x.period}`)}</Tag>
          </Space>
        )}
        card={(x) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            {METRICS.map((m) => (
              <div key={m}>
                <Muted>{t(`targets.metrics.${m}`)}</Muted>
                {cell(x, m)}
              </div>
            ))}
          </Space>
        )}
        columns={[
          { title: t('targets.who'), key: 'who', render: (_, x) => nameOf(x) },
          {
            title: t('targets.period'),
            key: 'period',
            render: (_, x) => (
              <Space size={4}>
                <Tag>{t(`targets.periods.${x.period}`)}</Tag>
                {x.periodStart.slice(0, 7)}
              </Space>
            ),
          },
          ...METRICS.map((m) => ({ title: t(`targets.metrics.${m}`), key: m, render: (_: unknown, x: Target) => cell(x, m) })),
          ...(manage
            ? [
                {
                  title: t('common.actions'),
                  key: 'edit',
                  render: (_: unknown, x: Target) => (
                    <Button size="small" onClick={() => setEditing(x)}>
                      {t('common.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && projectId && (
        <FormDialog<TargetForm>
          title={t('targets.assign')}
          name="target"
          initialValues={
            editing === 'new'
              ? { userId: '', period: 'month', periodStart: month ?? dayjs(), units: 0, amount: 0, visits: 0, followUps: 0 }
              : {
                  userId: editing.userId ?? '',
                  period: editing.period,
                  periodStart: dayjs(editing.periodStart),
                  units: editing.units,
                  amount: Number(editing.amount),
                  visits: editing.visits,
                  followUps: editing.followUps,
                }
          }
          onClose={() => setEditing(null)}
          onSubmit={(v) =>
            api.put('/api/targets', {
              projectId,
              ...(v.userId ? { userId: v.userId } : {}),
              period: v.period,
              periodStart: periodStartOf(v.periodStart, v.period),
              units: v.units,
              amount: v.amount,
              visits: v.visits,
              followUps: v.followUps,
            })
          }
          onDone={() => {
            message.success(t('common.saved'));
            setEditing(null);
            targets.reload();
          }}
        >
          {() => (
            <>
              <Form.Item name="userId" label={t('targets.who')}>
                <Select
                  options={[
                    { value: '', label: t('targets.team') },
                    ...(people.data ?? [])
                      .filter((p) => p.roles.includes('sales_agent'))
                      .map((p) => ({ value: p.id, label: p.displayName })),
                  ]}
                />
              </Form.Item>
              <Form.Item name="period" label={t('targets.period')}>
                <Select options={(['month', 'quarter'] as const).map((p) => ({ value: p, label: t(`targets.periods.${p}`) }))} />
              </Form.Item>
              <Form.Item name="periodStart" label={t('targets.month')} rules={[{ required: true, message: t('validation.required') }]}>
                <DatePicker picker="month" style={{ width: '100%' }} />
              </Form.Item>
              {METRICS.map((m) => (
                <Form.Item
                  key={m}
                  name={m}
                  label={t(`targets.metrics.${m}`)}
                  rules={[{ required: true, message: t('validation.required') }]}
                >
                  <InputNumber min={0} precision={m === 'amount' ? 2 : 0} step={m === 'amount' ? 100000 : 1} style={{ width: '100%' }} />
                </Form.Item>
              ))}
            </>
          )}
        </FormDialog>
      )}
    </>
  );
}
