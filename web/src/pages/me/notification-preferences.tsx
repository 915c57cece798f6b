import { Alert, Button, Card, Checkbox, Form, Input, Select, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { errorText } from '../../api/error-text';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle } from '../../components/common';
import { useMessage } from '../../feedback';
import { useLabels } from '../../i18n/labels';
import type { PageProps } from '../../routes';

/** The caller's notification preferences as the API holds them. */
interface Preferences {
  channels: string[];
  quietHours: { start: string; end: string } | null;
  timeZone: string;
  digest: { enabled: boolean; time: string };
  locale: 'zh-CN' | 'en';
  available: string[];
}

interface FormValues {
  channels: string[];
  quiet: boolean;
  quietStart: string;
  quietEnd: string;
  timeZone: string;
  digest: boolean;
  digestTime: string;
  locale: 'zh-CN' | 'en';
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * My notification preferences: the channels (in-app, e-mail when the server sends
 * e-mail), quiet hours (reminders wait, escalations do not), a daily digest of
 * reminders instead of one each, and the language messages are written in.
 */
export default function NotificationPreferencesPage(_props: PageProps) {
  const { t } = useLabels();
  const message = useMessage();
  const prefs = useApi(['/api/me/notification-preferences'], () => api.get<Preferences>('/api/me/notification-preferences'));
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const p = prefs.data;
    if (!p) return;
    form.setFieldsValue({
      channels: p.channels,
      quiet: p.quietHours !== null,
      quietStart: p.quietHours?.start ?? '22:00',
      quietEnd: p.quietHours?.end ?? '08:00',
      timeZone: p.timeZone,
      digest: p.digest.enabled,
      digestTime: p.digest.time,
      locale: p.locale,
    });
  }, [prefs.data, form]);

  const save = async (v: FormValues) => {
    setSaving(true);
    setError(undefined);
    try {
      await api.put('/api/me/notification-preferences', {
        channels: v.channels,
        quietHours: v.quiet ? { start: v.quietStart, end: v.quietEnd } : null,
        timeZone: v.timeZone,
        digest: { enabled: v.digest, time: v.digestTime },
        locale: v.locale,
      });
      void message.success(t('common.saved'));
      prefs.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  const time = [{ pattern: HH_MM, message: t('preferences.hhmm') }];
  return (
    <>
      <PageTitle title={t('preferences.title')} />
      <LoadError error={prefs.error} />
      <Card loading={prefs.loading} style={{ maxWidth: 560 }}>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form<FormValues> form={form} name="preferences" layout="vertical" onFinish={(v) => void save(v)}>
          <Form.Item name="channels" label={t('preferences.channels')}>
            <Checkbox.Group
              options={(prefs.data?.available ?? ['in_app']).map((c) => ({ value: c, label: t(`preferences.channel.${c}`) }))}
            />
          </Form.Item>
          <Form.Item name="quiet" label={t('preferences.quiet')} valuePropName="checked" extra={t('preferences.quietHelp')}>
            <Switch />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.quiet !== b.quiet}>
            {({ getFieldValue }) =>
              getFieldValue('quiet') ? (
                <div style={{ display: 'flex', gap: 12 }}>
                  <Form.Item name="quietStart" label={t('preferences.from')} rules={time}>
                    <Input style={{ width: 100 }} placeholder="22:00" />
                  </Form.Item>
                  <Form.Item name="quietEnd" label={t('preferences.to')} rules={time}>
                    <Input style={{ width: 100 }} placeholder="08:00" />
                  </Form.Item>
                </div>
              ) : null
            }
          </Form.Item>
          <Form.Item name="digest" label={t('preferences.digest')} valuePropName="checked" extra={t('preferences.digestHelp')}>
            <Switch />
          </Form.Item>
          <Form.Item name="digestTime" label={t('preferences.digestTime')} rules={time}>
            <Input style={{ width: 100 }} placeholder="09:00" />
          </Form.Item>
          <Form.Item name="timeZone" label={t('preferences.timeZone')} rules={[{ required: true }]}>
            <Input style={{ width: 220 }} placeholder="Asia/Shanghai" />
          </Form.Item>
          <Form.Item name="locale" label={t('preferences.locale')}>
            <Select
              style={{ width: 160 }}
              options={[
                { value: 'zh-CN', label: t('locale.zh-CN') },
                { value: 'en', label: t('locale.en') },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('common.save')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
