import { Alert, Button, Card, Checkbox, Form, Input, InputNumber, Select } from 'antd';
import { errorText } from '../../api/error-text';
import { useState } from 'react';
import { api } from '../../api/client';
import type { Settings } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle } from '../../components/common';
import { useMessage } from '../../feedback';
import { useLabels } from '../../i18n/labels';
import type { PageProps } from '../../routes';

/** The date formats the API renders (`DATE_FORMATS` in api/services/settings-service.ts). */
const DATE_FORMATS = ['YYYY-MM-DD HH:mm', 'YYYY/MM/DD HH:mm', 'DD/MM/YYYY HH:mm', 'MM/DD/YYYY HH:mm'];

interface SettingsForm {
  dateFormat: string;
  currencySymbol: string;
  defaultLocale: 'zh-CN' | 'en';
  utcOffsetMinutes: number;
  weekendDays: number[];
  holidays: string[];
}

/** System settings: date format, currency symbol, default language, working calendar. */
export default function SettingsPage(_props: PageProps) {
  const { t } = useLabels();
  const message = useMessage();
  const settings = useApi(() => api.get<Settings>('/api/settings'), []);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (settings.error) return <LoadError error={settings.error} />;
  if (!settings.data) return <Card loading />;
  const s = settings.data;
  const save = async (v: SettingsForm) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.patch('/api/settings', {
        dateFormat: v.dateFormat,
        currencySymbol: v.currencySymbol,
        defaultLocale: v.defaultLocale,
        // The calendar is replaced whole: keep what this form does not edit (make-up working days).
        workingCalendar: { ...s.workingCalendar, weekendDays: v.weekendDays, holidays: v.holidays, utcOffsetMinutes: v.utcOffsetMinutes },
      });
      message.success(t('common.saved'));
      settings.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageTitle title={t('settings.title')} />
      <Card style={{ maxWidth: 640 }}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form<SettingsForm>
          layout="vertical"
          name="settings-form"
          onFinish={(v) => void save(v)}
          initialValues={{
            dateFormat: s.dateFormat,
            currencySymbol: s.currencySymbol,
            defaultLocale: s.defaultLocale,
            utcOffsetMinutes: s.workingCalendar.utcOffsetMinutes,
            weekendDays: s.workingCalendar.weekendDays,
            holidays: s.workingCalendar.holidays,
          }}
        >
          <Form.Item name="dateFormat" label={t('settings.dateFormat')}>
            <Select options={DATE_FORMATS.map((f) => ({ value: f, label: f }))} />
          </Form.Item>
          <Form.Item
            name="currencySymbol"
            label={t('settings.currencySymbol')}
            rules={[{ required: true, max: 4, message: t('validation.required') }]}
          >
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="defaultLocale" label={t('settings.defaultLocale')}>
            <Select
              style={{ width: 160 }}
              options={[
                { value: 'zh-CN', label: t('locale.zh-CN') },
                { value: 'en', label: t('locale.en') },
              ]}
            />
          </Form.Item>
          <Form.Item name="utcOffsetMinutes" label={t('settings.utcOffset')}>
            <InputNumber min={-720} max={840} step={30} precision={0} />
          </Form.Item>
          <Form.Item name="weekendDays" label={t('settings.weekendDays')}>
            <Checkbox.Group options={[0, 1, 2, 3, 4, 5, 6].map((d) => ({ value: d, label: t(`settings.weekday.${d}`) }))} />
          </Form.Item>
          <Form.Item name="holidays" label={t('settings.holidays')} extra={t('validation.dateList')}>
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', ' ', '，']} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('common.save')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
