import { Alert, Button, Card, Checkbox, Form, Input, Select } from 'antd';
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
  businessTimeZone: string;
  weekendDays: number[];
  holidays: string[];
  extraWorkingDays: string[];
}

/** Every IANA zone this browser knows, the business zone first; its label in the user's language. */
function zoneOptions(current: string, language: string): { value: string; label: string }[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [current];
  const zones = [current, ...all.filter((z) => z !== current)];
  const name = (zone: string) =>
    new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', { timeZone: zone, timeZoneName: 'longGeneric' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value ?? zone;
  return zones.map((zone) => ({ value: zone, label: `${name(zone)}（${zone}）` }));
}

/** The year after this one: its public holidays should be in the calendar before it starts. */
const nextYear = () => new Date().getFullYear() + 1;

/** Whether the calendar lists any public holiday of `year`. */
const hasHolidaysOf = (s: Settings, year: number) => s.workingCalendar.holidays.some((d) => d.startsWith(`${year}-`));

/** System settings: date format, currency symbol, default language, working calendar. */
export default function SettingsPage(_props: PageProps) {
  const { t, language } = useLabels();
  const message = useMessage();
  const settings = useApi(['/api/settings'], () => api.get<Settings>('/api/settings'));
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
        businessTimeZone: v.businessTimeZone,
        // The calendar is replaced whole; its offset follows the business time zone (the server sets it).
        workingCalendar: { ...s.workingCalendar, weekendDays: v.weekendDays, holidays: v.holidays, extraWorkingDays: v.extraWorkingDays },
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
        {!hasHolidaysOf(s, nextYear()) && (
          <Alert
            type="warning"
            showIcon
            data-testid="holidays-missing"
            title={t('settings.holidaysMissing', { year: nextYear() })}
            style={{ marginBottom: 12 }}
          />
        )}
        <Form<SettingsForm>
          layout="vertical"
          name="settings-form"
          onFinish={(v) => void save(v)}
          initialValues={{
            dateFormat: s.dateFormat,
            currencySymbol: s.currencySymbol,
            defaultLocale: s.defaultLocale,
            businessTimeZone: s.businessTimeZone,
            weekendDays: s.workingCalendar.weekendDays,
            holidays: s.workingCalendar.holidays,
            extraWorkingDays: s.workingCalendar.extraWorkingDays ?? [],
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
          <Form.Item name="businessTimeZone" label={t('settings.businessTimeZone')} extra={t('settings.businessTimeZoneHelp')}>
            <Select showSearch optionFilterProp="label" options={zoneOptions(s.businessTimeZone, language)} />
          </Form.Item>
          <Form.Item name="weekendDays" label={t('settings.weekendDays')}>
            <Checkbox.Group options={[0, 1, 2, 3, 4, 5, 6].map((d) => ({ value: d, label: t(`settings.weekday.${d}`) }))} />
          </Form.Item>
          <Form.Item name="holidays" label={t('settings.holidays')} extra={t('validation.dateList')}>
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', ' ', '，']} />
          </Form.Item>
          <Form.Item name="extraWorkingDays" label={t('settings.extraWorkingDays')} extra={t('validation.dateList')}>
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
