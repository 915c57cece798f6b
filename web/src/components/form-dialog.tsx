import { Alert, Form, Modal, type FormInstance } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { ApiError, newIdempotencyKey } from '../api/client';
import { errorText } from '../api/error-text';
import { useLabels } from '../i18n/labels';

/**
 * A dialog holding one form that writes to the API: the submit is guarded by one
 * idempotency key per opening (a double click acts once), the API's field errors
 * (`body.<field>`) land beside their fields, anything else above the form.
 */
export function FormDialog<V extends object>({
  title,
  name,
  okText,
  initialValues,
  onSubmit,
  onClose,
  onDone,
  children,
}: {
  title: ReactNode;
  /** The form's name: its fields' ids are `<name>_<field>`. */
  name: string;
  okText?: string;
  initialValues?: Partial<V>;
  onSubmit: (values: V, idempotencyKey: string) => Promise<unknown>;
  onClose: () => void;
  onDone: (values: V) => void;
  children: (form: FormInstance<V>) => ReactNode;
}) {
  const { t } = useLabels();
  const [form] = Form.useForm<V>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const key = useMemo(newIdempotencyKey, []);
  const submit = async (values: V) => {
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(values, key);
      onDone(values);
    } catch (err) {
      const fields = err instanceof ApiError ? err.details.filter((d) => d.field.startsWith('body.')) : [];
      if (fields.length) form.setFields(fields.map((d) => ({ name: d.field.slice(5).split('.')[0] as never, errors: [d.reason] })));
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={title}
      okText={okText ?? t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name={name} initialValues={initialValues} onFinish={(v) => void submit(v)}>
        {children(form)}
      </Form>
    </Modal>
  );
}
