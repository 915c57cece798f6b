import { Alert, Button, Card, Form, Input } from 'antd';
import { errorText } from '../../api/error-text';
import { useMessage } from '../../feedback';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { PageTitle } from '../../components/common';
import { navigate } from '../../router';

/** Change one's password; the API signs out the user's other sessions. */
export default function PasswordPage() {
  const { t } = useTranslation();
  const message = useMessage();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <PageTitle title={t('auth.changeTitle')} />
      <Card style={{ maxWidth: 480 }}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Form
          layout="vertical"
          name="password"
          onFinish={async (values: { currentPassword: string; newPassword: string }) => {
            setBusy(true);
            setError(undefined);
            try {
              await api.post('/api/auth/password', { currentPassword: values.currentPassword, newPassword: values.newPassword });
              message.success(t('auth.changed'));
              navigate('/tasks');
            } catch (err) {
              setError(err instanceof ApiError && err.status === 401 ? t('auth.wrongPassword') : errorText(err));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item
            name="currentPassword"
            label={t('auth.currentPassword')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Input.Password autoComplete="current-password" maxLength={200} />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('auth.newPassword')}
            extra={t('auth.passwordRule')}
            rules={[{ required: true, min: 10, message: t('auth.passwordRule') }]}
          >
            <Input.Password autoComplete="new-password" maxLength={200} />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('auth.confirmPassword')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('validation.required') },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordsDiffer'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" maxLength={200} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('common.save')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
