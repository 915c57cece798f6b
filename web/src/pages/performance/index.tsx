import { Card, Col, Progress, Row, Space, Statistic, Table } from 'antd';
import { lazy, Suspense } from 'react';
import { api } from '../../api/client';
import { loadProjects } from '../../api/shared';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle } from '../../components/common';
import { Muted } from '../../components/text';
import { formatMoney, formatNumber } from '../../format';
import { useLabels } from '../../i18n/labels';
import { href } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';
import { funnelOption, type FunnelStepData } from '../analytics/chart-options';
import { useProjectChoice } from '../../components/project-choice';
import { ProjectSelect } from '../../components/project-select';

const EChart = lazy(() => import('../../components/echart'));

interface Mine {
  figures: Record<string, number>;
  stages: FunnelStepData[];
  overdue: { total: number; customers: { customerId: string; name: string; stage: string; daysOverdue: number }[] };
  targets: {
    id: string;
    period: string;
    target: Record<string, number>;
    actual: Record<string, number>;
    achieved: Record<string, number | null>;
  }[];
}

/**
 * An agent's own figures (我的业绩): this month's visits, registrations, follow-ups
 * and contracts, the funnel, the follow-ups overdue and the month's target. What the
 * agent looks at on the phone between visitors.
 */
export default function PerformancePage(_props: PageProps) {
  const { t, language } = useLabels();
  const { settings } = useSession();
  const projects = useApi(['/api/projects'], loadProjects);
  const [projectId, setProjectId] = useProjectChoice(projects.data);
  const today = new Date().toISOString().slice(0, 10);
  const from = `${today.slice(0, 7)}-01`;
  const mine = useApi(projectId ? ['/api/analytics/mine', projectId] : null, () =>
    api.get<Mine>('/api/analytics/mine', { projectId, from, to: today }),
  );
  const m = mine.data;
  const money = (v: number) => formatMoney(v, settings, language);
  const stage = (s: string) => t(`analytics.stages.${s}`);
  return (
    <>
      <PageTitle
        title={t('analytics.mine')}
        extra={<ProjectSelect id="performance-project" projects={projects.data} value={projectId} onChange={setProjectId} />}
      />
      <LoadError error={mine.error ?? projects.error} />
      <Muted block style={{ marginBottom: 12 }}>
        {t('analytics.thisMonth', { from, to: today })}
      </Muted>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap size={24} data-testid="my-kpis">
          {['visits', 'registrations', 'followUps', 'subscriptions', 'contracts'].map((k) => (
            <Statistic key={k} title={t(`analytics.measures.${k}`)} value={m ? formatNumber(m.figures[k] ?? 0, language) : '—'} />
          ))}
          <Statistic title={t('analytics.measures.contractAmount')} value={m ? money(m.figures.contractAmount ?? 0) : '—'} />
        </Space>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('analytics.funnel')}>
            {m && (
              <Suspense fallback={null}>
                <EChart option={funnelOption(m.stages, stage)} height={240} testId="my-funnel" />
              </Suspense>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('targets.title')} data-testid="my-target">
            {m?.targets.length ? (
              m.targets.map((x) =>
                (['units', 'amount', 'visits', 'followUps'] as const).map((k) => (
                  <div key={`${x.id}-${k}`}>
                    <Muted>{t(`targets.metrics.${k}`)}</Muted> {k === 'amount' ? money(x.actual[k] ?? 0) : x.actual[k]} /{' '}
                    {k === 'amount' ? money(x.target[k] ?? 0) : x.target[k]}
                    <Progress percent={Math.min(100, Math.round((x.achieved[k] ?? 0) * 100))} size="small" />
                  </div>
                )),
              )
            ) : (
              <Muted>{t('targets.none')}</Muted>
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={`${t('analytics.overdue')} (${m?.overdue.total ?? 0})`} data-testid="my-overdue">
            <Table
              size="small"
              rowKey="customerId"
              pagination={false}
              dataSource={m?.overdue.customers ?? []}
              columns={[
                {
                  title: t('customers.name'),
                  dataIndex: 'name',
                  render: (n: string, c) => <a href={href(`/customers/${c.customerId}`)}>{n}</a>,
                },
                { title: t('customers.stage'), dataIndex: 'stage', render: (s: string) => t(`customers.stages.${s}`) },
                { title: t('analytics.daysOverdue'), dataIndex: 'daysOverdue' },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
