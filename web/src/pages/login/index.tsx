import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { errorText } from '../../api/error-text';
import { Alert, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { useMessage } from '../../feedback';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { chooseLanguage, LANGUAGES, type Language } from '../../i18n';
import { navigate } from '../../router';
import { useSession } from '../../session';

type Mode = 'sign-in' | 'request' | 'confirm';

/** Sign-in, and the two steps of a forgotten password: ask for a code, then set a new password with it. */
export default function LoginPage() {
  const { t, i18n } = useTranslation();
  const message = useMessage();
  const { signIn } = useSession();
  const [mode, setMode] = useState<Mode>('sign-in');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('auth.wrongPassword') : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const signInForm = (
    <Form
      layout="vertical"
      name="login"
      requiredMark={false}
      onFinish={(values: { username: string; password: string }) =>
        run(async () => {
          const { token } = await api.post<{ token: string }>('/api/auth/login', values);
          await signIn(token);
          navigate('/tasks');
        })
      }
    >
      <Form.Item
        name="username"
        label={t('auth.username')}
        rules={[{ required: true, message: t('auth.required', { field: t('auth.username') }) }]}
      >
        <Input prefix={<UserOutlined />} autoComplete="username" autoFocus maxLength={100} />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('auth.password')}
        rules={[{ required: true, message: t('auth.required', { field: t('auth.password') }) }]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={200} />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        {t('auth.signIn')}
      </Button>
      <Button type="link" block onClick={() => setMode('request')} style={{ marginTop: 8 }}>
        {t('auth.forgot')}
      </Button>
    </Form>
  );

  const requestForm = (
    <Form
      layout="vertical"
      name="reset-request"
      requiredMark={false}
      onFinish={(values: { username: string }) =>
        run(async () => {
          await api.post('/api/auth/password-reset/request', values);
          setNotice(t('auth.resetRequested'));
          setMode('confirm');
        })
      }
    >
      <Form.Item
        name="username"
        label={t('auth.username')}
        rules={[{ required: true, message: t('auth.required', { field: t('auth.username') }) }]}
      >
        <Input prefix={<UserOutlined />} autoComplete="username" maxLength={100} />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        {t('auth.resetRequest')}
      </Button>
    </Form>
  );

  const confirmForm = (
    <Form
      layout="vertical"
      name="reset-confirm"
      requiredMark={false}
      onFinish={(values: { token: string; newPassword: string }) =>
        run(async () => {
          await api.post('/api/auth/password-reset/confirm', { token: values.token, newPassword: values.newPassword });
          message.success(t('auth.resetDone'));
          setNotice(undefined);
          setMode('sign-in');
        })
      }
    >
      <Form.Item name="token" label={t('auth.code')} rules={[{ required: true, message: t('auth.required', { field: t('auth.code') }) }]}>
        <Input autoComplete="one-time-code" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('auth.newPassword')}
        extra={t('auth.passwordRule')}
        rules={[{ required: true, min: 10, message: t('auth.passwordRule') }]}
      >
        <Input.Password autoComplete="new-password" maxLength={200} />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        {t('common.confirm')}
      </Button>
    </Form>
  );

  return (
    <div
      style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5', padding: 16 }}
    >
      <main style={{ width: '100%', maxWidth: 380 }}>
        <Card>
          <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} align="center">
            <Typography.Title level={3} style={{ margin: 0 }}>
              {mode === 'sign-in' ? t('auth.signIn') : t('auth.resetTitle')}
            </Typography.Title>
            <Select<Language>
              id="login-language"
              aria-label={t('common.language')}
              size="small"
              value={i18n.language === 'en' ? 'en' : 'zh-CN'}
              onChange={(value) => void chooseLanguage(value)}
              options={LANGUAGES.map((l) => ({ value: l, label: t(`locale.${l}`) }))}
              style={{ width: 92 }}
            />
          </Space>
          <Typography.Paragraph type="secondary">{t('app.name')}</Typography.Paragraph>
          {notice && <Alert type="info" showIcon title={notice} style={{ marginBottom: 16 }} />}
          {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
          {mode === 'sign-in' ? signInForm : mode === 'request' ? requestForm : confirmForm}
          {mode !== 'sign-in' && (
            <Button type="link" block onClick={() => (setMode('sign-in'), setNotice(undefined), setError(undefined))}>
              {t('auth.backToSignIn')}
            </Button>
          )}
        </Card>
      </main>
    </div>
  );
}
