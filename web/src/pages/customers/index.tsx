import { Button, Checkbox, Form, Input, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { CUSTOMER_STAGES } from '../../../../domain';
import { api } from '../../api/client';
import { errorText } from '../../api/error-text';
import { loadPeople, loadProjects } from '../../api/shared';
import type { Customer, CustomerStage } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle } from '../../components/common';
import { PagedTable } from '../../components/paged-table';
import { invalidate, usePagedList } from '../../api/queries';
import { SOURCES, STAGE_COLORS } from '../../components/customer-vocabulary';
import { downloadCsv } from '../../components/download';
import { FormDialog } from '../../components/form-dialog';
import { Muted } from '../../components/text';
import { useMessage } from '../../feedback';
import { formatDateTime } from '../../format';
import { useLabels } from '../../i18n/labels';
import { href, navigate, setQueryParams } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';
import { useProjectChoice } from '../../components/project-choice';
import { ProjectSelect } from '../../components/project-select';

/**
 * Customers (客户) of the caller's projects: search by name, phone or tag, filter by
 * stage and owner; register one (报备); a supervisor transfers and exports.
 */
export default function CustomersPage({ query }: PageProps) {
  const { t, customerStage, option, language } = useLabels();
  const { settings, can } = useSession();
  const message = useMessage();
  const projects = useApi(['/api/projects'], loadProjects);
  // The project is part of the address too (a shared link opens the same list); else the one chosen last.
  const [chosenProject, chooseProject] = useProjectChoice(projects.data);
  const projectId = query.projectId ?? chosenProject;
  const setProjectId = (id: string) => {
    chooseProject(id);
    setQueryParams({ projectId: id });
  };
  // The filters live in the address: a filtered list survives a reload and can be shared.
  const q = query.q ?? '';
  const stage = query.stage as CustomerStage | undefined;
  const mine = query.owner === undefined ? !can('customers.read_all') : query.owner === 'me';
  const archived = query.archived === 'true';
  const setQ = (value: string) => setQueryParams({ q: value || undefined });
  const setStage = (value: CustomerStage | undefined) => setQueryParams({ stage: value });
  const setMine = (value: boolean) => setQueryParams({ owner: value ? 'me' : 'all' });
  const setArchived = (value: boolean) => setQueryParams({ archived: value ? 'true' : undefined });
  const [selected, setSelected] = useState<string[]>([]);
  const [dialog, setDialog] = useState<'register' | 'transfer' | null>(null);
  const tag = q.startsWith('#') ? q.slice(1) : undefined;
  const filters = {
    projectId,
    q: tag ? undefined : q || undefined,
    tag,
    stage,
    owner: mine ? 'me' : undefined,
    archived,
  };
  const customers = usePagedList<Customer>('/api/customers', filters, { enabled: projectId !== undefined });

  const exportCsv = async () => {
    if (!projectId) return;
    try {
      const rows = await api.get<Customer[]>('/api/customers/export', { projectId });
      downloadCsv(
        `customers-${projectId}.csv`,
        [
          t('customers.name'),
          t('customers.phone'),
          t('customers.class'),
          t('customers.stage'),
          t('customers.owner'),
          t('customers.source'),
          t('customers.tags'),
        ],
        rows.map((c) => [
          c.name,
          c.phone,
          c.classification ?? '',
          customerStage(c.stage),
          c.owner.displayName,
          c.source ? option(c.source) : '',
          c.tags.join(' '),
        ]),
      );
      message.success(t('customers.exported', { count: rows.length }));
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const nameCell = (c: Customer) => (c.phoneMasked ? c.name : <a href={href(`/customers/${c.id}`)}>{c.name}</a>);
  return (
    <>
      <PageTitle
        title={t('customers.title')}
        extra={
          <>
            {can('customers.transfer') && (
              <Button disabled={!selected.length} onClick={() => setDialog('transfer')} data-testid="transfer">
                {t('customers.transfer', { count: selected.length })}
              </Button>
            )}
            {can('customers.export') && <Button onClick={() => void exportCsv()}>{t('customers.export')}</Button>}
            {can('customers.write') && (
              <Button type="primary" onClick={() => setDialog('register')}>
                {t('customers.register')}
              </Button>
            )}
          </>
        }
      />
      <LoadError error={customers.error ?? projects.error} />
      <Space wrap style={{ marginBottom: 16 }}>
        <ProjectSelect id="customers-project" projects={projects.data} value={projectId} onChange={setProjectId} />
        <Input.Search
          id="customers-search"
          allowClear
          key={q}
          defaultValue={q}
          aria-label={t('customers.search')}
          placeholder={t('customers.search')}
          style={{ width: 260 }}
          onSearch={(v) => setQ(v.trim())}
        />
        <Select
          id="customers-stage"
          allowClear
          aria-label={t('customers.stage')}
          placeholder={t('customers.stage')}
          style={{ width: 140 }}
          value={stage}
          onChange={setStage}
          options={CUSTOMER_STAGES.map((s) => ({ value: s, label: customerStage(s) }))}
        />
        <Checkbox checked={mine} onChange={(e) => setMine(e.target.checked)}>
          {t('customers.mine')}
        </Checkbox>
        <Checkbox checked={archived} onChange={(e) => setArchived(e.target.checked)}>
          {t('customers.archived')}
        </Checkbox>
      </Space>
      <PagedTable<Customer>
        filters={filters}
        query={customers}
        rowKey="id"
        rowSelection={
          can('customers.transfer') ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) } : undefined
        }
        cardTitle={nameCell}
        card={(c) => (
          <Space direction="vertical" size={4}>
            <Space wrap size={4}>
              <Tag color={STAGE_COLORS[c.stage]}>{customerStage(c.stage)}</Tag>
              {c.classification && <Tag>{option(c.classification)}</Tag>}
              {c.tags.map((x) => (
                <Tag key={x}>#{x}</Tag>
              ))}
            </Space>
            <span>{c.phone}</span>
            <Muted>
              {c.owner.displayName} · {t('customers.protectedUntil')} {formatDateTime(c.protectedUntil, settings, language)}
            </Muted>
          </Space>
        )}
        columns={[
          { title: t('customers.name'), key: 'name', render: (_, c) => nameCell(c) },
          { title: t('customers.phone'), dataIndex: 'phone' },
          { title: t('customers.class'), dataIndex: 'classification', render: (v: string | null) => (v ? option(v) : '—') },
          {
            title: t('customers.stage'),
            dataIndex: 'stage',
            render: (s: CustomerStage, c) => (
              <Space size={4}>
                <Tag color={STAGE_COLORS[s]}>{customerStage(s)}</Tag>
                {c.archived && <Tag>{t('customers.archivedTag')}</Tag>}
              </Space>
            ),
          },
          { title: t('customers.owner'), key: 'owner', render: (_, c) => c.owner.displayName },
          {
            title: t('customers.protectedUntil'),
            dataIndex: 'protectedUntil',
            render: (v: string) => formatDateTime(v, settings, language),
          },
          { title: t('customers.source'), dataIndex: 'source', render: (v: string | null) => (v ? option(v) : '—') },
          {
            title: t('customers.tags'),
            dataIndex: 'tags',
            render: (tags: string[]) =>
              tags.map((x) => (
                <Tag key={x} style={{ cursor: 'pointer' }} onClick={() => setQ(`#${x}`)}>
                  #{x}
                </Tag>
              )),
          },
        ]}
      />
      {dialog === 'register' && projectId && (
        <FormDialog<{ name: string; phone: string; source?: string }>
          title={t('customers.register')}
          name="customer-register"
          okText={t('customers.register')}
          onClose={() => setDialog(null)}
          onSubmit={async (v) => {
            const result = await api.post<{ created: boolean; outcome: string; customer: Customer }>('/api/customers', {
              projectId,
              ...v,
            });
            navigate(`/customers/${result.customer.id}`);
            message.success(result.created ? t('customers.registered', { name: v.name }) : t('customers.returning', { name: v.name }));
          }}
          onDone={() => setDialog(null)}
        >
          {() => (
            <>
              <Form.Item name="name" label={t('customers.name')} rules={[{ required: true, message: t('validation.required') }]}>
                <Input autoComplete="off" maxLength={100} />
              </Form.Item>
              <Form.Item
                name="phone"
                label={t('customers.phone')}
                extra={t('customers.phoneHint')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input inputMode="tel" autoComplete="off" maxLength={30} />
              </Form.Item>
              <Form.Item name="source" label={t('customers.source')}>
                <Select allowClear options={SOURCES.map((s) => ({ value: s, label: option(s) }))} />
              </Form.Item>
            </>
          )}
        </FormDialog>
      )}
      {dialog === 'transfer' && projectId && (
        <TransferDialog
          projectId={projectId}
          customerIds={selected}
          onClose={() => setDialog(null)}
          onDone={(count, to) => {
            message.success(t('customers.transferred', { count, name: to }));
            setDialog(null);
            setSelected([]);
            void invalidate('/api/customers');
          }}
        />
      )}
    </>
  );
}

/** Moves the chosen customers to another agent of the project, with a reason (audited by the API). */
function TransferDialog({
  projectId,
  customerIds,
  onClose,
  onDone,
}: {
  projectId: string;
  customerIds: string[];
  onClose: () => void;
  onDone: (count: number, to: string) => void;
}) {
  const { t } = useLabels();
  const people = useApi(['/api/people', projectId], () => loadPeople(projectId));
  const agents = (people.data ?? []).filter((p) => p.roles.includes('sales_agent'));
  return (
    <FormDialog<{ toUserId: string; reason: string }>
      title={t('customers.transfer', { count: customerIds.length })}
      name="customer-transfer"
      okText={t('common.confirm')}
      onClose={onClose}
      onSubmit={(v) => api.post('/api/customers/transfer', { customerIds, ...v })}
      onDone={(v) => onDone(customerIds.length, agents.find((a) => a.id === v.toUserId)?.displayName ?? '')}
    >
      {() => (
        <>
          <Form.Item name="toUserId" label={t('customers.transferTo')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={people.loading}
              options={agents.map((a) => ({ value: a.id, label: `${a.displayName} (${a.username})` }))}
            />
          </Form.Item>
          <Form.Item name="reason" label={t('customers.transferReason')} rules={[{ required: true, message: t('validation.required') }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}
