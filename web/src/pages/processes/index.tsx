import { Button, Checkbox, Input, Select, Space } from 'antd';
import { PROCESS_STATUSES } from '../../../../domain';
import { api } from '../../api/client';
import { usePagedList } from '../../api/queries';
import { loadPeople } from '../../api/shared';
import type { DefinitionSummary, ProcessRow, ProcessStatus, Project } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle, ProcessStatusTag } from '../../components/common';
import { PagedTable } from '../../components/paged-table';
import { definitionOptions } from '../../components/definition-options';
import { Muted } from '../../components/text';
import { formatDateTime } from '../../format';
import { useLabels } from '../../i18n/labels';
import { href, navigate, setQueryParams } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';

const STATUSES: readonly ProcessStatus[] = PROCESS_STATUSES;

/** Process instances the user may see, filtered by definition, status, project and overdue work. */
export default function ProcessesPage({ query }: PageProps) {
  const { t, processStatus, language, text } = useLabels();
  const { settings, can, me } = useSession();
  // The filters live in the address: a filtered list survives a reload and can be shared.
  const { definition, projectId, startedBy, parent, q } = query;
  const status = query.status as ProcessStatus | undefined;
  const overdue = query.overdue === 'true';
  // Who started: the user themself, and for managers every colleague of their projects.
  const people = useApi(['/api/people', 'if-managing'], () => (can('tasks.manage') ? loadPeople().catch(() => []) : Promise.resolve([])));
  const lists = useApi(['/api/definitions', 'with-projects'], () =>
    Promise.all([api.get<DefinitionSummary[]>('/api/definitions').catch(() => []), api.get<Project[]>('/api/projects')]),
  );
  const filters = { definition, status, projectId, startedBy, parent, q, overdue: overdue || undefined };
  const processes = usePagedList<ProcessRow>('/api/processes', filters);
  const projectName = (id: string) => lists.data?.[1].find((p) => p.id === id)?.name ?? id;
  return (
    <>
      <PageTitle
        title={t('process.list')}
        extra={
          can('processes.start') && (
            <Button type="primary" onClick={() => navigate('/start')}>
              {t('process.start')}
            </Button>
          )
        }
      />
      <LoadError error={processes.error} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          id="processes-filter-definition"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('process.definition')}
          placeholder={t('process.definition')}
          style={{ width: 200 }}
          value={definition}
          onChange={(v?: string) => setQueryParams({ definition: v })}
          options={definitionOptions(lists.data?.[0] ?? [], text)}
        />
        <Select
          allowClear
          aria-label={t('common.status')}
          placeholder={t('common.status')}
          style={{ width: 140 }}
          value={status}
          onChange={(v?: string) => setQueryParams({ status: v })}
          options={STATUSES.map((s) => ({ value: s, label: processStatus(s) }))}
        />
        <Select
          allowClear
          aria-label={t('common.project')}
          placeholder={t('common.project')}
          style={{ width: 160 }}
          value={projectId}
          onChange={(v?: string) => setQueryParams({ projectId: v })}
          options={(lists.data?.[1] ?? []).map((p) => ({ value: p.id, label: p.name }))}
        />
        <Select
          id="processes-filter-started-by"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('process.startedBy')}
          placeholder={t('process.startedBy')}
          style={{ width: 180 }}
          value={startedBy}
          onChange={(v?: string) => setQueryParams({ startedBy: v })}
          options={[
            ...(me ? [{ value: me.id, label: t('process.startedByMe') }] : []),
            ...(people.data ?? []).filter((p) => p.id !== me?.id).map((p) => ({ value: p.id, label: p.displayName })),
          ]}
        />
        <Input.Search
          allowClear
          key={q}
          defaultValue={q}
          aria-label={t('process.search')}
          placeholder={t('process.search')}
          style={{ width: 220 }}
          onSearch={(v) => setQueryParams({ q: v.trim() || undefined })}
        />
        <Checkbox checked={overdue} onChange={(e) => setQueryParams({ overdue: e.target.checked ? 'true' : undefined })}>
          {t('process.overdueOnly')}
        </Checkbox>
      </Space>
      <PagedTable<ProcessRow>
        filters={filters}
        query={processes}
        rowKey="id"
        cardTitle={(p) => <a href={href(`/processes/${encodeURIComponent(p.id)}`)}>{text(p.title)}</a>}
        card={(p) => (
          <Space direction="vertical" size={4}>
            <ProcessStatusTag status={p.status} />
            <Muted>
              {projectName(p.projectId)} · {formatDateTime(p.startedAt, settings, language)}
            </Muted>
          </Space>
        )}
        columns={[
          {
            title: t('process.title'),
            dataIndex: 'title',
            render: (_, p) => (
              <a href={href(`/processes/${encodeURIComponent(p.id)}`)}>
                {text(p.title)}
                <Muted block style={{ fontSize: 12 }}>
                  {p.id}
                </Muted>
              </a>
            ),
          },
          { title: t('common.project'), dataIndex: 'projectId', render: (id: string) => projectName(id) },
          { title: t('common.status'), dataIndex: 'status', render: (s: ProcessStatus) => <ProcessStatusTag status={s} /> },
          {
            title: t('process.startedAt'),
            dataIndex: 'startedAt',
            render: (v: string) => formatDateTime(v, settings, language),
          },
          { title: t('process.finishedAt'), dataIndex: 'finishedAt', render: (v: string | null) => formatDateTime(v, settings, language) },
        ]}
      />
    </>
  );
}
