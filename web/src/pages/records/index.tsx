import { PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import type { Project, RecordRow, Task } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle, ResponsiveTable } from '../../components/common';
import { RecordData } from '../../components/record-data';
import { Muted } from '../../components/text';
import { formatDateTime } from '../../format';
import { useLabels } from '../../i18n/labels';
import { href } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';

/** Submitted documents by project and kind; one opens as a printable page (`?id=`). */
export default function RecordsPage({ query }: PageProps) {
  return query.id ? <RecordPrint id={query.id} /> : <RecordList />;
}

function RecordList() {
  const { t, recordKind, language } = useLabels();
  const { settings } = useSession();
  const [projectId, setProjectId] = useState<string>();
  const [kind, setKind] = useState<string>();
  const projects = useApi(() => api.get<Project[]>('/api/projects'), []);
  const records = useApi(() => api.get<RecordRow[]>('/api/records', { projectId, kind, limit: 500 }), [projectId, kind]);
  // The kinds present, for the filter (each kind is a named document of the procedure).
  const all = useApi(() => api.get<RecordRow[]>('/api/records', { projectId, limit: 1000 }), [projectId]);
  const kinds = [...new Set((all.data ?? []).map((r) => r.kind))].sort();
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
          onChange={setProjectId}
          options={(projects.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
        />
        <Select
          allowClear
          aria-label={t('records.kind')}
          placeholder={t('records.kind')}
          style={{ width: 220 }}
          value={kind}
          onChange={setKind}
          options={kinds.map((k) => ({ value: k, label: recordKind(k) }))}
        />
      </Space>
      <ResponsiveTable<RecordRow>
        rowKey="id"
        loading={records.loading}
        dataSource={records.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
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
            sorter: (a, b) => a.createdAt.localeCompare(b.createdAt),
            defaultSortOrder: 'descend',
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
  const view = useApi(async () => {
    const record = await api.get<RecordRow>(`/api/records/${encodeURIComponent(id)}`);
    const task = can('tasks.read') ? await api.get<Task>(`/api/tasks/${record.taskId}`).catch(() => null) : null;
    return { record, task };
  }, [id]);
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
