import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Timeline,
  Typography,
} from 'antd';
import { errorText } from '../../api/error-text';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, newIdempotencyKey } from '../../api/client';
import { getAll } from '../../api/paging';
import type { ProcessDefinition, ProcessDetail, RecordRow, Task } from '../../api/types';
import { useApi } from '../../api/use-api';
import { DueCell, LoadError, PageTitle, ProcessStatusTag } from '../../components/common';
import { applyApiErrors, fieldLabel, FormFields, toApiData, type FormValues } from '../../components/field-input';
import { ProcessDiagram } from '../../components/process-diagram';
import { RecordData, useFieldValue } from '../../components/record-data';
import { ApproversCard } from './approvers-card';
import { MigrateDialog } from './migrate-dialog';
import { ReadableValue } from './readable-value';
import { useMessage } from '../../feedback';
import { formatDateTime } from '../../format';
import { humanise, labelOf, useLabels } from '../../i18n/labels';
import { href } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';

interface View {
  process: ProcessDetail;
  definition: ProcessDefinition | null;
  records: RecordRow[];
}

/**
 * One process: its diagram with step states, current tasks, variables, documents and
 * history; cancel, send a declared event, retry a failing step, as the user may.
 */
export default function ProcessPage({ params }: PageProps) {
  const { t, role, event, recordKind, language, text } = useLabels();
  const { settings, can } = useSession();
  const message = useMessage();
  const id = params.id ?? '';
  const view = useApi<View>(['/api/processes', id], async () => {
    const process = await api.get<ProcessDetail>(`/api/processes/${encodeURIComponent(id)}`);
    const [definition, records] = await Promise.all([
      can('definitions.read')
        ? api
            .get<ProcessDefinition>(`/api/definitions/${encodeURIComponent(process.definitionKey)}`, { version: process.definitionVersion })
            .catch(() => null)
        : null,
      can('records.read') ? getAll<RecordRow>('/api/records', { processId: id }).catch(() => []) : [],
    ]);
    return { process, definition, records };
  });
  const [eventOpen, setEventOpen] = useState(false);
  const [migrateOpen, setMigrateOpen] = useState(false);
  // A dialog of the approvers card is open: the page does not refresh under it.
  const [approversBusy, setApproversBusy] = useState(false);
  // The live approvals come from a query of the workflow; when one refresh's query goes
  // unanswered (a busy worker), the card keeps what it last knew instead of vanishing.
  const lastApprovals = useRef<ProcessDetail['approvals']>(null);
  if (view.data?.process.approvals) lastApprovals.current = view.data.process.approvals;
  const show = useFieldValue();
  // A running process moves on by itself (timers, escalations, other people): refresh
  // what the page shows every few seconds while it runs.
  const running = view.data?.process.status === 'running' || view.data?.process.status === 'failing';
  const { reload } = view;
  useEffect(() => {
    if (!running || eventOpen || approversBusy || migrateOpen) return;
    const timer = setInterval(reload, 5000);
    return () => clearInterval(timer);
  }, [running, eventOpen, approversBusy, migrateOpen, reload]);

  // A refresh that fails keeps what the page shows (and a dialog open on it): only a
  // first load that fails replaces the page with the error.
  if (view.error && !view.data) return <LoadError error={view.error} />;
  if (!view.data) return <Card loading />;
  const { process, definition, records } = view.data;
  const allTasks = [...process.tasks.open, ...process.tasks.finished];
  const approvals = process.approvals ?? lastApprovals.current;
  const failed = Object.entries(process.steps ?? {})
    .filter(([, s]) => s === 'failed')
    .map(([k]) => k);
  const inputFields = definition?.input ?? [];

  const cancel = async () => {
    try {
      await api.post(`/api/processes/${encodeURIComponent(id)}/cancel`);
      message.success(t('process.cancelled'));
      view.reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const retry = async (stepKey: string) => {
    try {
      await api.post(`/api/processes/${encodeURIComponent(id)}/retry`, { stepKey }, newIdempotencyKey());
      message.success(t('process.retried', { step: stepKey }));
      view.reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };

  return (
    <>
      <PageTitle
        title={text(process.title)}
        extra={
          running && (
            <>
              {can('definitions.publish') && definition && <Button onClick={() => setMigrateOpen(true)}>{t('migration.migrate')}</Button>}
              {can('processes.events') && (definition?.events?.length ?? 0) > 0 && (
                <Button onClick={() => setEventOpen(true)}>{t('process.sendEvent')}</Button>
              )}
              {can('processes.cancel') && (
                <Popconfirm
                  title={t('process.cancelConfirm')}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => void cancel()}
                >
                  <Button danger>{t('process.cancel')}</Button>
                </Popconfirm>
              )}
            </>
          )
        }
      />
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        style={{ marginBottom: 16 }}
        items={[
          {
            key: 'id',
            label: t('process.id'),
            children: (
              <Typography.Text copyable style={{ overflowWrap: 'anywhere' }}>
                {process.id}
              </Typography.Text>
            ),
          },
          { key: 'status', label: t('common.status'), children: <ProcessStatusTag status={process.status} /> },
          { key: 'project', label: t('common.project'), children: process.projectId },
          {
            key: 'version',
            label: t('migration.definitionVersion'),
            children: t('migration.versionN', { version: process.definitionVersion }),
          },
          { key: 'started', label: t('process.startedAt'), children: formatDateTime(process.startedAt, settings, language) },
          ...(process.finishedAt
            ? [{ key: 'finished', label: t('process.finishedAt'), children: formatDateTime(process.finishedAt, settings, language) }]
            : []),
          ...(process.parentId
            ? [
                {
                  key: 'parent',
                  label: t('process.title'),
                  children: <a href={href(`/processes/${encodeURIComponent(process.parentId)}`)}>{process.parentId}</a>,
                },
              ]
            : []),
        ]}
      />
      {view.error && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('pageState.refreshFailed')} />}
      {failed.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('process.failing', { message: failed.join(', ') })}
          action={
            can('processes.events') && (
              <Space direction="vertical">
                {failed.map((k) => (
                  <Button key={k} size="small" danger onClick={() => void retry(k)}>
                    {t('process.retry')} · {k}
                  </Button>
                ))}
              </Space>
            )
          }
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('process.diagram')} size="small">
              {definition ? (
                <ProcessDiagram definition={definition} processId={process.id} steps={process.steps} tasks={allTasks} />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} />
              )}
            </Card>
            <Card title={t('process.currentTasks')} size="small">
              <Table<Task>
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={process.tasks.open}
                locale={{ emptyText: t('common.empty') }}
                scroll={{ x: 'max-content' }}
                columns={[
                  {
                    title: t('task.title'),
                    dataIndex: 'title',
                    render: (_, task) => <a href={href(`/tasks/${task.id}`)}>{text(task.title)}</a>,
                  },
                  { title: t('task.assigneeRole'), dataIndex: 'assigneeRole', render: (r: string) => role(r) },
                  { title: t('task.due'), dataIndex: 'dueAt', render: (_, task) => <DueCell task={task} /> },
                ]}
              />
            </Card>
            {running && can('tasks.manage') && approvals && Object.keys(approvals).length > 0 && (
              <ApproversCard
                processId={process.id}
                approvals={approvals}
                tasks={allTasks}
                roles={definition?.roles ?? []}
                onChanged={view.reload}
                onBusy={setApproversBusy}
              />
            )}
            <Card title={t('process.records')} size="small">
              {records.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} />
              ) : (
                records.map((r) => (
                  <Card
                    key={r.id}
                    type="inner"
                    size="small"
                    title={recordKind(r.kind)}
                    extra={formatDateTime(r.createdAt, settings, language)}
                    style={{ marginBottom: 8 }}
                  >
                    <RecordData fields={allTasks.find((x) => x.id === r.taskId)?.form ?? []} data={r.data} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.createdByName}
                    </Typography.Text>
                  </Card>
                ))
              )}
            </Card>
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('process.input')} size="small">
              <Descriptions
                size="small"
                column={1}
                items={Object.entries(process.input).map(([k, v]) => {
                  const field = inputFields.find((f) => f.name === k);
                  return { key: k, label: field ? fieldLabel(field) : humanise(k), children: show(field, v) };
                })}
              />
            </Card>
            <Card title={t('process.variables')} size="small">
              {process.variables ? (
                <Descriptions
                  size="small"
                  column={1}
                  // `$`-prefixed variables are the engine's own bookkeeping.
                  items={Object.entries(process.variables)
                    .filter(([k]) => !k.startsWith('$'))
                    .map(([k, v]) => ({
                      key: k,
                      label: labelOf('fieldNames', k),
                      children: <ReadableValue value={v} />,
                    }))}
                />
              ) : (
                <Typography.Text type="secondary">{t('process.noVariables')}</Typography.Text>
              )}
            </Card>
            <Card title={t('process.history')} size="small">
              <Timeline
                data-testid="history"
                items={process.history.map((e) => ({
                  key: e.id,
                  color:
                    e.type.endsWith('failed') || e.type.endsWith('escalated') ? 'red' : e.type.endsWith('completed') ? 'green' : 'blue',
                  content: (
                    <>
                      <Typography.Text strong>{event(e.type)}</Typography.Text>
                      {e.taskId && (
                        <Typography.Text>
                          {' '}
                          · {allTasks.find((x) => x.id === e.taskId)?.title ? text(allTasks.find((x) => x.id === e.taskId)?.title) : ''}
                        </Typography.Text>
                      )}
                      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                        {formatDateTime(e.at, settings, language)} ·{' '}
                        {!e.actorName || e.actorName === 'system' ? t('event.system') : e.actorName}
                      </Typography.Text>
                    </>
                  ),
                }))}
              />
            </Card>
          </Space>
        </Col>
      </Row>
      {migrateOpen && definition && (
        <MigrateDialog
          process={process}
          definition={definition}
          onClose={() => setMigrateOpen(false)}
          onDone={() => (setMigrateOpen(false), view.reload())}
        />
      )}
      {eventOpen && definition && (
        <EventDialog
          processId={id}
          definition={definition}
          onClose={() => setEventOpen(false)}
          onSent={() => (setEventOpen(false), view.reload())}
        />
      )}
    </>
  );
}

/** Sends one of the process's declared events, with its payload form. */
function EventDialog({
  processId,
  definition,
  onClose,
  onSent,
}: {
  processId: string;
  definition: ProcessDefinition;
  onClose: () => void;
  onSent: () => void;
}) {
  const { t } = useLabels();
  const message = useMessage();
  const events = definition.events ?? [];
  const [name, setName] = useState(events[0]?.name);
  const [form] = Form.useForm<FormValues>();
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => newIdempotencyKey(), []);
  const spec = events.find((e) => e.name === name);
  const send = async () => {
    if (!spec) return;
    setBusy(true);
    try {
      await api.post(
        `/api/processes/${encodeURIComponent(processId)}/events`,
        { name: spec.name, payload: toApiData(spec.payload, form.getFieldsValue(true)) },
        key,
      );
      message.success(t('process.eventSent'));
      onSent();
    } catch (err) {
      setErrors(err instanceof ApiError ? applyApiErrors(form, err, 'body.payload.', spec.payload, t) : [errorText(err)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('process.sendEvent')}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => void send()}
    >
      {errors.length > 0 && <Alert type="error" showIcon title={errors.join('; ')} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="event-form">
        <Form.Item label={t('process.event')}>
          <Select value={name} onChange={setName} options={events.map((e) => ({ value: e.name, label: humanise(e.name) }))} />
        </Form.Item>
        {spec && <FormFields fields={spec.payload} />}
      </Form>
    </Modal>
  );
}
