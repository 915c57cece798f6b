import { Alert, Button, Card, Col, Descriptions, Empty, Form, Row, Space, Tag, Timeline, Typography } from 'antd';
import { errorText } from '../../api/error-text';
import { useMessage } from '../../feedback';
import { useMemo, useState } from 'react';
import { api, ApiError, newIdempotencyKey } from '../../api/client';
import { getAll } from '../../api/paging';
import { loadPeople } from '../../api/shared';
import type { Outcome, Person, ProcessDetail, RecordRow, Task, Unit } from '../../api/types';
import { useApi } from '../../api/use-api';
import { DueCell, LoadError, PageTitle, TaskStatusTag } from '../../components/common';
import { applyApiErrors, FormFields, type FormValues, toApiData } from '../../components/field-input';
import { prefillFrom } from '../../components/prefill';
import { RecordData } from '../../components/record-data';
import { formatDateTime } from '../../format';
import { useLabels } from '../../i18n/labels';
import { href, navigate } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';
import { taskPermissions } from '../../task-access';
import { ROLE_KEYS } from '../../vocabulary';
import { TaskActions } from '../tasks/task-actions';
import { TaskSubject } from './subject';

interface TaskView {
  task: Task;
  process: ProcessDetail | null;
  records: RecordRow[];
  units: Unit[];
  people: Person[];
}

const OUTCOME_ORDER: Outcome[] = ['approve', 'done', 'revise', 'reject'];

/**
 * One task: its form with a control per field type, one button per allowed outcome
 * (each rendering has its own idempotency key), the documents already recorded in
 * the process, and the task's history.
 */
export default function TaskPage({ params }: PageProps) {
  const { t, outcome, role, event, language, text } = useLabels();
  const { me, settings, can } = useSession();
  const message = useMessage();
  const [form] = Form.useForm<FormValues>();
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState<string>();
  // One key per rendering of the form: a double click or a retried request acts once.
  const idempotencyKey = useMemo(() => newIdempotencyKey(), []);
  const view = useApi<TaskView>(['/api/tasks', params.id], async () => {
    const task = await api.get<Task>(`/api/tasks/${encodeURIComponent(params.id ?? '')}`);
    const [process, records, units, people] = await Promise.all([
      can('processes.read') ? api.get<ProcessDetail>(`/api/processes/${encodeURIComponent(task.processId)}`).catch(() => null) : null,
      can('records.read') ? getAll<RecordRow>('/api/records', { processId: task.processId }).catch(() => []) : [],
      task.form.some((f) => f.type === 'unit' || f.of?.some((s) => s.type === 'unit')) && task.projectId
        ? getAll<Unit>('/api/units', { projectId: task.projectId, status: 'available' })
        : [],
      loadPeople(task.projectId).catch(() => []),
    ]);
    return { task, process, records, units, people };
  });

  if (view.error) return <LoadError error={view.error} />;
  if (!view.data || !me) return <Card loading />;
  const { task, process, records, units, people } = view.data;
  const may = taskPermissions({ id: me.id, roles: me.roles, permissions: me.permissions }, task);
  const canSubmit = may.complete || may.handBack;
  const outcomes = may.handBack
    ? (['done'] as Outcome[])
    : [...task.outcomes].sort((a, b) => OUTCOME_ORDER.indexOf(a) - OUTCOME_ORDER.indexOf(b));
  const history = (process?.history ?? []).filter((e) => e.taskId === task.id);
  // A revision edits what is under decision instead of retyping it: its form starts from
  // the document as it stands (the process's input, then every earlier revision).
  const revising = task.taskKey.endsWith('/revise');
  const standing = revising
    ? Object.assign(
        {},
        process?.input,
        ...(process?.tasks.finished ?? [])
          .filter((f) => f.stepId === task.stepId && f.taskKey.endsWith('/revise'))
          .map((f) => f.data ?? {}),
      )
    : {};
  const prefill =
    task.status === 'open'
      ? { ...(revising ? prefillFrom(task.form, { figures: standing }) : {}), ...prefillFrom(task.form, task.context) }
      : {};

  const submit = async (chosen: Outcome) => {
    setBusy(chosen);
    setErrors([]);
    try {
      await api.post(
        `/api/tasks/${task.id}/complete`,
        { outcome: chosen, data: toApiData(task.form, form.getFieldsValue(true)) },
        idempotencyKey,
      );
      message.success(t('task.submitted', { title: text(task.title) }));
      navigate('/tasks');
    } catch (err) {
      if (err instanceof ApiError) setErrors(applyApiErrors(form, err, 'body.data.', task.form, t));
      else setErrors([errorText(err)]);
    } finally {
      setBusy(undefined);
    }
  };

  const who = task.assigneeUserId
    ? (people.find((p) => p.id === task.assigneeUserId)?.displayName ?? role(task.assigneeRole))
    : role(task.assigneeRole);

  return (
    <>
      <PageTitle
        title={text(task.title)}
        extra={<TaskActions task={task} people={people} roles={ROLE_KEYS} onDone={view.reload} onTaskPage />}
      />
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        style={{ marginBottom: 16 }}
        items={[
          {
            key: 'process',
            label: t('task.process'),
            children: (
              <a href={href(`/processes/${encodeURIComponent(task.processId)}`)}>{process ? text(process.title) : task.processId}</a>
            ),
          },
          { key: 'status', label: t('common.status'), children: <TaskStatusTag status={task.status} /> },
          { key: 'due', label: t('task.due'), children: <DueCell task={task} /> },
          { key: 'role', label: t('task.assigneeRole'), children: role(task.assigneeRole) },
          { key: 'assignee', label: t('task.assignee'), children: who },
        ]}
      />
      <TaskSubject task={task} process={process} people={people} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={t('task.form')}>
            {task.status !== 'open' ? (
              <Alert type="info" showIcon title={t('task.notOpen', { status: t(`status.task.${task.status}`) })} />
            ) : (
              <>
                {!canSubmit && <Alert type="warning" showIcon title={t('task.notYours', { who })} style={{ marginBottom: 16 }} />}
                {errors.length > 0 && (
                  <Alert
                    type="error"
                    showIcon
                    role="alert"
                    title={errors.join('; ')}
                    style={{ marginBottom: 16 }}
                    data-testid="form-error"
                  />
                )}
                {Object.keys(prefill).length > 0 && (
                  <Alert type="info" showIcon title={t('task.prefilled')} style={{ marginBottom: 16 }} data-testid="prefilled" />
                )}
                <Form
                  form={form}
                  layout="vertical"
                  name="task-form"
                  disabled={!canSubmit}
                  initialValues={prefill}
                  onFinish={() => undefined}
                >
                  <FormFields fields={task.form} units={units} />
                  {canSubmit && (
                    <Space wrap>
                      {outcomes.map((o) => (
                        <Button
                          key={o}
                          type={o === 'approve' || o === 'done' ? 'primary' : 'default'}
                          danger={o === 'reject'}
                          loading={busy === o}
                          disabled={busy !== undefined && busy !== o}
                          onClick={() => void submit(o)}
                          data-outcome={o}
                        >
                          {may.handBack ? t('task.action.handBack') : outcome(o)}
                        </Button>
                      ))}
                    </Space>
                  )}
                </Form>
              </>
            )}
            {task.status !== 'open' && task.data && (
              <div style={{ marginTop: 16 }}>
                <Typography.Title level={5}>{t('task.data')}</Typography.Title>
                <Tag>{outcome(task.outcome)}</Tag>
                <RecordData fields={task.form} data={task.data} />
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('task.documents')} size="small">
              {records.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} />
              ) : (
                records.map((r) => <RecordCard key={r.id} record={r} process={process} />)
              )}
            </Card>
            <Card title={t('task.history')} size="small">
              {history.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} />
              ) : (
                <Timeline
                  items={history.map((e) => ({
                    key: e.id,
                    content: (
                      <>
                        <Typography.Text strong>{event(e.type)}</Typography.Text>
                        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                          {formatDateTime(e.at, settings, language)} ·{' '}
                          {!e.actorName || e.actorName === 'system' ? t('event.system') : e.actorName}
                        </Typography.Text>
                      </>
                    ),
                  }))}
                />
              )}
            </Card>
          </Space>
        </Col>
      </Row>
    </>
  );
}

/** One recorded document, with its fields labelled from the task form that produced it. */
function RecordCard({ record, process }: { record: RecordRow; process: ProcessDetail | null }) {
  const { recordKind, language } = useLabels();
  const { settings } = useSession();
  const source = [...(process?.tasks.finished ?? []), ...(process?.tasks.open ?? [])].find((x) => x.id === record.taskId);
  return (
    <Card
      type="inner"
      size="small"
      title={recordKind(record.kind)}
      extra={formatDateTime(record.createdAt, settings, language)}
      style={{ marginBottom: 8 }}
    >
      <RecordData fields={source?.form ?? []} data={record.data} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {record.createdByName}
      </Typography.Text>
    </Card>
  );
}
