import { PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Select, Space, Typography } from 'antd';
import i18n from 'i18next';
import { api } from '../../api/client';
import { loadProjects } from '../../api/shared';
import { usePagedList } from '../../api/queries';
import type { RecordRow, Task } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle } from '../../components/common';
import { PagedTable } from '../../components/paged-table';
import { RecordData } from '../../components/record-data';
import { Muted } from '../../components/text';
import { formatDateTime } from '../../format';
import { useLabels } from '../../i18n/labels';
import { href, setQueryParams } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';

/** Submitted documents by project and kind; one opens as a printable page (`?id=`). */
export default function RecordsPage({ query }: PageProps) {
  return query.id ? <RecordPrint id={query.id} /> : <RecordList query={query} />;
}

function RecordList({ query }: { query: Record<string, string> }) {
  const { t, recordKind, language } = useLabels();
  const { settings } = useSession();
  // The filters live in the address: a filtered list survives a reload and can be shared.
  const { projectId, kind } = query;
  const projects = useApi(['/api/projects'], loadProjects);
  const filters = { projectId, kind };
  const records = usePagedList<RecordRow>('/api/records', filters);
  // Every kind of document the procedure names, in the user's language.
  const kinds = Object.keys(i18n.t('records.kinds', { returnObjects: true }) as Record<string, string>).sort();
  const open = (r: RecordRow) => href(`/records?id=${r.id}`);
  return (
    <>
      <PageTitle title={t('records.title')} />
      <LoadError error={records.error} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          aria-label={t('common.project')}
          placeholder={t('common.project')}
          style={{ width: 160 }}
          value={projectId}
          onChange={(v?: string) => setQueryParams({ projectId: v })}
          options={(projects.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
        />
        <Select
          allowClear
          aria-label={t('records.kind')}
          placeholder={t('records.kind')}
          style={{ width: 220 }}
          value={kind}
          onChange={(v?: string) => setQueryParams({ kind: v })}
          options={kinds.map((k) => ({ value: k, label: recordKind(k) }))}
        />
      </Space>
      <PagedTable<RecordRow>
        filters={filters}
        query={records}
        rowKey="id"
        cardTitle={(r) => <a href={open(r)}>{recordKind(r.kind)}</a>}
        card={(r) => (
          <Muted>
            {r.createdByName} · {formatDateTime(r.createdAt, settings, language)}
          </Muted>
        )}
        columns={[
          { title: t('records.kind'), dataIndex: 'kind', render: (_, r) => <a href={open(r)}>{recordKind(r.kind)}</a> },
          { title: t('common.project'), dataIndex: 'projectId' },
          {
            title: t('task.process'),
            dataIndex: 'processId',
            render: (id: string) => <a href={href(`/processes/${encodeURIComponent(id)}`)}>{id}</a>,
          },
          { title: t('records.createdBy'), dataIndex: 'createdByName' },
          {
            title: t('records.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => formatDateTime(v, settings, language),
          },
        ]}
      />
    </>
  );
}

/** One document as a printable page: the print stylesheet hides the app's frame. */
function RecordPrint({ id }: { id: string }) {
  const { t, recordKind, language } = useLabels();
  const { settings, can } = useSession();
  const view = useApi(['/api/records', id], async () => {
    const record = await api.get<RecordRow>(`/api/records/${encodeURIComponent(id)}`);
    const task = can('tasks.read') ? await api.get<Task>(`/api/tasks/${record.taskId}`).catch(() => null) : null;
    return { record, task };
  });
  if (view.error) return <LoadError error={view.error} />;
  if (!view.data) return <Card loading />;
  const { record, task } = view.data;
  return (
    <>
      <div className="no-print">
        <PageTitle
          title={recordKind(record.kind)}
          extra={
            <>
              <Button href={href('/records')}>{t('common.back')}</Button>
              <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
                {t('common.print')}
              </Button>
            </>
          }
        />
      </div>
      <Card>
        <Typography.Title level={3} style={{ textAlign: 'center' }}>
          {recordKind(record.kind)}
        </Typography.Title>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2 }}
          style={{ marginBottom: 16 }}
          items={[
            { key: 'project', label: t('common.project'), children: record.projectId },
            { key: 'process', label: t('task.process'), children: record.processId },
            { key: 'by', label: t('records.createdBy'), children: record.createdByName },
            { key: 'at', label: t('records.createdAt'), children: formatDateTime(record.createdAt, settings, language) },
          ]}
        />
        <RecordData fields={task?.form ?? []} data={record.data} />
      </Card>
    </>
  );
}
