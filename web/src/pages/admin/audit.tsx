import { Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import type { AuditRow, User } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle, ResponsiveTable } from '../../components/common';
import { Muted } from '../../components/text';
import { PeriodPicker, type Period } from '../../components/period-picker';
import { formatDateTime } from '../../format';
import { labelOf, useLabels } from '../../i18n/labels';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';

const OBJECT_TYPES = ['user', 'role', 'project', 'process', 'task', 'unit', 'setting', 'definition', 'session', 'password_reset'];

/** The audit trail, by user, object and time range. */
export default function AuditPage(_props: PageProps) {
  const { t, auditAction, language } = useLabels();
  const { settings, can } = useSession();
  const [userId, setUserId] = useState<string>();
  const [objectType, setObjectType] = useState<string>();
  const [objectId, setObjectId] = useState<string>();
  const [range, setRange] = useState<Period>(null);
  const users = useApi(can('users.manage') ? () => api.get<User[]>('/api/users') : null, []);
  const rows = useApi(
    () =>
      api.get<AuditRow[]>('/api/audit', {
        userId,
        objectType,
        objectId,
        from: range?.[0]?.startOf('day').toISOString(),
        to: range?.[1]?.endOf('day').toISOString(),
        limit: 500,
      }),
    [userId, objectType, objectId, range],
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
          onChange={setUserId}
          options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
        />
        <Select
          allowClear
          aria-label={t('audit.objectType')}
          placeholder={t('audit.objectType')}
          style={{ width: 150 }}
          value={objectType}
          onChange={setObjectType}
          options={OBJECT_TYPES.map((o) => ({ value: o, label: labelOf('audit.objects', o) }))}
        />
        <Input.Search
          allowClear
          aria-label={t('audit.objectId')}
          placeholder={t('audit.objectId')}
          style={{ width: 220 }}
          onSearch={(v) => setObjectId(v || undefined)}
        />
        <PeriodPicker ariaLabel={t('audit.range')} value={range} onChange={setRange} />
      </Space>
      <ResponsiveTable<AuditRow>
        rowKey="id"
        size="small"
        loading={rows.loading}
        dataSource={rows.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        // On phones a card per entry: who, when, what, and the change itself.
        cardTitle={(r) => auditAction(r.action)}
        card={(r) => (
          <Space direction="vertical" size={2}>
            <Muted>
              {formatDateTime(r.at, settings, language)} · {r.actorName ?? t('event.system')}
            </Muted>
            <span style={{ overflowWrap: 'anywhere' }}>
              {labelOf('audit.objects', r.objectType)} {r.objectId}
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
          { title: t('audit.actor'), dataIndex: 'actorName', render: (v: string | null) => v ?? t('event.system') },
          { title: t('audit.action'), dataIndex: 'action', render: (a: string) => auditAction(a) },
          { title: t('audit.objectType'), dataIndex: 'objectType', render: (o: string) => labelOf('audit.objects', o) },
          {
            title: t('audit.objectId'),
            dataIndex: 'objectId',
            render: (v: string | null) => <span style={{ overflowWrap: 'anywhere' }}>{v}</span>,
          },
        ]}
      />
    </>
  );
}
