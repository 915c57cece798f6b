import { Form, InputNumber, Modal, Select, Space } from 'antd';
import type { Person } from '../../api/types';
import { useLabels } from '../../i18n/labels';

/** The task actions that ask for something first. */
export type Dialog = 'delegate' | 'reassign' | 'extend';

/** The dialog of one task action: whom to delegate or reassign to, or how long to extend by. */
export default function TaskActionDialog({
  dialog,
  busy,
  people,
  candidates,
  roles,
  onCancel,
  act,
}: {
  dialog: Dialog;
  busy: boolean;
  people: Person[];
  candidates: Person[];
  roles: string[];
  onCancel: () => void;
  act: (segment: string, body: unknown, label: string) => Promise<void>;
}) {
  const { t, role } = useLabels();
  const [form] = Form.useForm();
  return (
    <Modal
      open
      title={t(`task.action.${dialog}`)}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={onCancel}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        name={`task-${dialog ?? 'action'}`}
        onFinish={(values: { toUserId?: string; toRole?: string; amount?: number; unit?: 'hours' | 'days' | 'workingDays' }) => {
          if (dialog === 'delegate') void act('delegate', { toUserId: values.toUserId }, t('task.action.delegate'));
          if (dialog === 'reassign') void act('reassign', { toRole: values.toRole, toUserId: values.toUserId }, t('task.action.reassign'));
          if (dialog === 'extend')
            void act('deadline', { action: 'extend', by: { [values.unit ?? 'hours']: values.amount } }, t('task.action.extend'));
        }}
      >
        {dialog === 'delegate' && (
          <Form.Item name="toUserId" label={t('task.delegateTo')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('common.select')}
              options={candidates.map((p) => ({ value: p.id, label: `${p.displayName} · ${p.roles.map(role).join('、')}` }))}
            />
          </Form.Item>
        )}
        {dialog === 'reassign' && (
          <>
            <Form.Item name="toRole" label={t('task.reassignToRole')}>
              <Select allowClear placeholder={t('common.select')} options={roles.map((r) => ({ value: r, label: role(r) }))} />
            </Form.Item>
            <Form.Item name="toUserId" label={t('task.reassignToUser')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('common.select')}
                options={people.map((p) => ({ value: p.id, label: `${p.displayName} · ${p.roles.map(role).join('、')}` }))}
              />
            </Form.Item>
          </>
        )}
        {dialog === 'extend' && (
          <Form.Item label={t('task.extendBy')} required>
            <Space.Compact>
              <Form.Item name="amount" noStyle rules={[{ required: true, message: t('validation.required') }]}>
                <InputNumber min={1} max={365} precision={0} aria-label={t('task.extendBy')} />
              </Form.Item>
              <Form.Item name="unit" noStyle initialValue="hours">
                <Select
                  aria-label={t('task.extendBy')}
                  style={{ width: 120 }}
                  options={[
                    { value: 'hours', label: t('task.hours') },
                    { value: 'days', label: t('task.days') },
                    { value: 'workingDays', label: t('task.workingDays') },
                  ]}
                />
              </Form.Item>
            </Space.Compact>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
