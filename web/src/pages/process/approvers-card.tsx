import { Button, Card, Form, InputNumber, Popconfirm, Select, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api, newIdempotencyKey } from '../../api/client';
import { errorText } from '../../api/error-text';
import type { ProcessDetail, Task } from '../../api/types';
import { FormDialog } from '../../components/form-dialog';
import { useMessage } from '../../feedback';
import { useLabels } from '../../i18n/labels';

type Approvals = NonNullable<ProcessDetail['approvals']>;

/**
 * The approvers of each running approval in order, with who has decided, who is
 * deciding and who was skipped; a manager adds an approver (a role of the process,
 * with a deadline, at a position) or skips one. The workflow refuses what it cannot
 * do (the last approver, one already skipped) and the page shows why.
 */
export function ApproversCard({
  processId,
  approvals,
  tasks,
  roles,
  onChanged,
  onBusy,
}: {
  processId: string;
  approvals: Approvals;
  tasks: Task[];
  roles: string[];
  onChanged: () => void;
  /** Told while the add dialog is open, so that the page does not refresh under it. */
  onBusy: (busy: boolean) => void;
}) {
  const { t, role, outcome } = useLabels();
  const message = useMessage();
  const [adding, setAdding] = useState<string | null>(null);
  useEffect(() => onBusy(adding !== null), [adding, onBusy]);
  const change = (body: Record<string, unknown>, key = newIdempotencyKey()) =>
    api.post(`/api/processes/${encodeURIComponent(processId)}/approvers`, body, key);
  const skip = async (stepKey: string, index: number) => {
    try {
      await change({ action: 'skip', stepKey, index });
      message.success(t('approvers.skipped'));
      onChanged();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Card title={t('approvers.title')} size="small" data-testid="approvers">
      {Object.entries(approvals).map(([stepKey, approval]) => (
        <Space key={stepKey} direction="vertical" style={{ width: '100%', marginBottom: 8 }}>
          {approval.approvers.map((r, index) => {
            const taskKey = `${stepKey}/r${approval.round}/${index + 1}`;
            // An approval that a migration started again keys its tasks `<step>/v<version>/r…`: the newest is the one that counts.
            const task = tasks
              .filter(
                (x) =>
                  x.taskKey === taskKey || (x.taskKey.startsWith(`${stepKey}/v`) && x.taskKey.endsWith(`/r${approval.round}/${index + 1}`)),
              )
              .sort((a, b) => b.taskKey.length - a.taskKey.length || b.createdAt.localeCompare(a.createdAt))[0];
            const skipped = approval.skipped.includes(index);
            return (
              <Space key={taskKey} wrap data-approver={index}>
                <span>
                  {index + 1}. {role(r)}
                </span>
                {skipped ? (
                  <Tag>{t('approvers.skippedTag')}</Tag>
                ) : task?.status === 'open' ? (
                  <Tag color="processing">{t('approvers.deciding')}</Tag>
                ) : task?.outcome ? (
                  <Tag color={task.outcome === 'approve' ? 'success' : 'warning'}>{outcome(task.outcome)}</Tag>
                ) : (
                  <Tag>{t('approvers.waiting')}</Tag>
                )}
                {!skipped && !task?.outcome && (
                  <Popconfirm
                    title={t('approvers.skipConfirm', { role: role(r) })}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => void skip(stepKey, index)}
                  >
                    <Button size="small">{t('approvers.skip')}</Button>
                  </Popconfirm>
                )}
              </Space>
            );
          })}
          <Button size="small" onClick={() => setAdding(stepKey)}>
            {t('approvers.add')}
          </Button>
        </Space>
      ))}
      {adding && (
        <FormDialog<{ role: string; days: number; position: number }>
          title={t('approvers.add')}
          name="approver-add"
          initialValues={{ days: 1, position: (approvals[adding]?.approvers.length ?? 0) + 1 }}
          onClose={() => setAdding(null)}
          onSubmit={(v, key) =>
            change({ action: 'add', stepKey: adding, role: v.role, due: { days: v.days }, position: v.position - 1 }, key)
          }
          onDone={() => {
            message.success(t('approvers.added'));
            setAdding(null);
            onChanged();
          }}
        >
          {() => (
            <>
              <Form.Item name="role" label={t('common.role')} rules={[{ required: true, message: t('validation.required') }]}>
                <Select options={roles.map((r) => ({ value: r, label: role(r) }))} />
              </Form.Item>
              <Form.Item name="position" label={t('approvers.position')}>
                <InputNumber min={1} max={(approvals[adding]?.approvers.length ?? 0) + 1} precision={0} style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name="days" label={t('approvers.days')}>
                <InputNumber min={0.5} max={30} step={0.5} style={{ width: '100%' }} />
              </Form.Item>
            </>
          )}
        </FormDialog>
      )}
    </Card>
  );
}
