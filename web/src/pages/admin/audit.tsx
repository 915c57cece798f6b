import { Input, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { getAll } from '../../api/paging';
import type { AuditRow, User } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle } from '../../components/common';
import { PagedTable } from '../../components/paged-table';
import { usePagedList } from '../../api/queries';
import { Muted } from '../../components/text';
import { PeriodPicker, type Period } from '../../components/period-picker';
import { dayStart, formatDateTime, nextDay } from '../../format';
import { setQueryParams } from '../../router';
import { labelOf, useLabels } from '../../i18n/labels';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';

const OBJECT_TYPES = ['user', 'role', 'project', 'process', 'task', 'unit', 'setting', 'definition', 'session', 'password_reset'];

/** The audit trail, by user, object and time range. */
export default function AuditPage({ query }: PageProps) {
  const { t, auditAction, language, text } = useLabels();
  const { settings, can } = useSession();
  // The filters live in the address: a filtered trail survives a reload and can be shared.
  const { userId, objectType, objectId, from, to } = query;
  const range: Period = from || to ? [from ? dayjs(from) : null, to ? dayjs(to) : null] : null;
  const setRange = (value: Period) => setQueryParams({ from: value?.[0]?.format('YYYY-MM-DD'), to: value?.[1]?.format('YYYY-MM-DD') });
  const users = useApi(can('users.manage') ? ['/api/users'] : null, () => getAll<User>('/api/users'));
  const filters = {
    userId,
    objectType,
    objectId,
    // Whole business days in the office's time zone, whatever the browser's.
    from: from ? dayStart(from, settings) : undefined,
    to: to ? new Date(new Date(dayStart(nextDay(to), settings)).getTime() - 1).toISOString() : undefined,
  };
  const rows = usePagedList<AuditRow>('/api/audit', filters);
  // People and things by name; an id only where the object has none (a setting, a deleted row).
  const actorOf = (r: AuditRow) => r.actorDisplayName ?? r.actorName ?? t('event.system');
  // A sign-in session is its user's; an object without a name shows no raw id (it stays in the filter and on hover).
  const objectOf = (r: AuditRow) =>
    r.objectName ? (
      text(r.objectName)
    ) : r.objectType === 'setting' ? (
      labelOf('audit.settings', r.objectId)
    ) : r.objectType === 'session' ? (
      actorOf(r)
    ) : (
      <span title={r.objectId ?? undefined}>—</span>
    );
  const json = (v: unknown) =>
    v === null || v === undefined ? null : (
      <Typography.Text code style={{ whiteSpace: 'pre-wrap', fontSize: 12, overflowWrap: 'anywhere' }}>
        {JSON.stringify(v)}
      </Typography.Text>
    );
  const changeOf = (r: AuditRow) =>
    r.before === null && r.after === null ? null : (
      <Space direction="vertical">
        {r.before !== null && (
          <span>
            {t('audit.before')}: {json(r.before)}
          </span>
        )}
        {r.after !== null && (
          <span>
            {t('audit.after')}: {json(r.after)}
          </span>
        )}
      </Space>
    );
  return (
    <>
      <PageTitle title={t('audit.title')} />
      <LoadError error={rows.error} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('audit.filterUser')}
          placeholder={t('audit.filterUser')}
          style={{ width: 180 }}
          value={userId}
          onChange={(v?: string) => setQueryParams({ userId: v })}
          options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
        />
        <Select
          allowClear
          aria-label={t('audit.objectType')}
          placeholder={t('audit.objectType')}
          style={{ width: 150 }}
          value={objectType}
          onChange={(v?: string) => setQueryParams({ objectType: v })}
          options={OBJECT_TYPES.map((o) => ({ value: o, label: labelOf('audit.objects', o) }))}
        />
        <Input.Search
          allowClear
          aria-label={t('audit.objectId')}
          placeholder={t('audit.objectId')}
          style={{ width: 220 }}
          key={objectId}
          defaultValue={objectId}
          onSearch={(v) => setQueryParams({ objectId: v.trim() || undefined })}
        />
        <PeriodPicker ariaLabel={t('audit.range')} value={range} onChange={setRange} />
      </Space>
      <PagedTable<AuditRow>
        filters={filters}
        query={rows}
        rowKey="id"
        size="small"
        // On phones a card per entry: who, when, what, and the change itself.
        cardTitle={(r) => auditAction(r.action)}
        card={(r) => (
          <Space direction="vertical" size={2}>
            <Muted>
              {formatDateTime(r.at, settings, language)} · {actorOf(r)}
            </Muted>
            <span style={{ overflowWrap: 'anywhere' }}>
              {labelOf('audit.objects', r.objectType)} {objectOf(r)}
            </span>
            {changeOf(r)}
          </Space>
        )}
        expandable={{
          rowExpandable: (r) => r.before !== null || r.after !== null,
          expandedRowRender: changeOf,
        }}
        columns={[
          { title: t('common.time'), dataIndex: 'at', render: (v: string) => formatDateTime(v, settings, language) },
          { title: t('audit.actor'), key: 'actor', render: (_, r) => actorOf(r) },
          { title: t('audit.action'), dataIndex: 'action', render: (a: string) => auditAction(a) },
          { title: t('audit.objectType'), dataIndex: 'objectType', render: (o: string) => labelOf('audit.objects', o) },
          {
            title: t('audit.object'),
            key: 'object',
            render: (_, r) => <span style={{ overflowWrap: 'anywhere' }}>{objectOf(r)}</span>,
          },
        ]}
      />
    </>
  );
}
