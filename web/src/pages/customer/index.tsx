import {
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Select,
  Space,
  Tabs,
  Tag,
  Timeline,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { FOLLOW_UP_CHANNELS } from '../../../../domain';
import { api } from '../../api/client';
import { errorText } from '../../api/error-text';
import type { CustomerDetail, CustomerEvent, Order } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle, ResponsiveTable } from '../../components/common';
import { STAGE_COLORS } from '../../components/customer-vocabulary';
import { FormDialog } from '../../components/form-dialog';
import { Muted } from '../../components/text';
import { useMessage } from '../../feedback';
import { formatDateTime, formatMoney } from '../../format';
import { useLabels } from '../../i18n/labels';
import { href } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';
import { OrderCard } from '../orders/order-card';

const SERVICE_KINDS = ['complaint', 'repair', 'delivery', 'contract-question'] as const;

/**
 * One customer in full: who, whose, until when protected; the timeline of every
 * contact and move; deals, orders with their payment schedules, after-sales cases
 * and the documents of the processes that concern them. Follow-ups, tags, archive,
 * after-sales and cancellation start here.
 */
export default function CustomerPage({ params }: PageProps) {
  const { t, customerStage, option, recordKind, serviceKind, serviceStatus, dealStage, language } = useLabels();
  const { settings, can } = useSession();
  const message = useMessage();
  const customer = useApi(['/api/customers', params.id], () => api.get<CustomerDetail>(`/api/customers/${params.id}`));
  const [dialog, setDialog] = useState<'follow-up' | 'service' | 'tags' | { cancel: Order } | null>(null);
  const c = customer.data;
  if (!c) return <LoadError error={customer.error} />;
  const money = (v: string | number | null) => (v === null ? '—' : formatMoney(v, settings, language));
  const done = (text: string) => {
    message.success(text);
    setDialog(null);
    customer.reload();
  };
  const setArchived = async (archived: boolean) => {
    try {
      await api.patch(`/api/customers/${c.id}`, { archived });
      done(t('common.saved'));
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const writable = can('customers.write');

  return (
    <>
      <PageTitle
        title={c.name}
        extra={
          writable && (
            <>
              <Button type="primary" onClick={() => setDialog('follow-up')} data-testid="add-follow-up">
                {t('customers.followUp.add')}
              </Button>
              <Button onClick={() => setDialog('service')}>{t('customers.service.add')}</Button>
              <Button onClick={() => setDialog('tags')}>{t('customers.editTags')}</Button>
              <Popconfirm
                title={c.archived ? t('customers.unarchiveConfirm') : t('customers.archiveConfirm')}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                onConfirm={() => void setArchived(!c.archived)}
              >
                <Button>{c.archived ? t('customers.unarchive') : t('customers.archive')}</Button>
              </Popconfirm>
            </>
          )
        }
      />
      <LoadError error={customer.error} />
      <Space wrap size={4} style={{ marginBottom: 12 }} data-testid="customer-tags">
        <Tag color={STAGE_COLORS[c.stage]}>{customerStage(c.stage)}</Tag>
        {c.classification && <Tag>{option(c.classification)}</Tag>}
        {c.archived && <Tag>{t('customers.archivedTag')}</Tag>}
      </Space>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('customers.phone')}>
            {/* On a phone, a tap calls the customer. */}
            {c.phoneMasked ? c.phone : <a href={`tel:${c.phone}`}>{c.phone}</a>}
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.owner')}>{c.owner.displayName}</Descriptions.Item>
          <Descriptions.Item label={t('customers.protectedUntil')}>
            {formatDateTime(c.protectedUntil, settings, language)}
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.source')}>{c.source ? option(c.source) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customers.createdAt')}>{formatDateTime(c.createdAt, settings, language)}</Descriptions.Item>
          <Descriptions.Item label={t('customers.tags')}>
            {c.tags.length ? c.tags.map((x) => <Tag key={x}>#{x}</Tag>) : '—'}
          </Descriptions.Item>
          {c.lostReason && <Descriptions.Item label={t('customers.lostReason')}>{c.lostReason}</Descriptions.Item>}
          {c.household &&
            (['household', 'occupation', 'ageBand', 'motive'] as const)
              .filter((k) => c.household?.[k])
              .map((k) => (
                <Descriptions.Item key={k} label={t(`customers.profile.${k}`)}>
                  {String(c.household?.[k])}
                </Descriptions.Item>
              ))}
        </Descriptions>
      </Card>
      <Tabs
        items={[
          {
            key: 'timeline',
            label: `${t('customers.timeline')} (${c.timeline.length})`,
            children: (
              <Timeline
                data-testid="timeline"
                mode="start"
                items={[...c.timeline].reverse().map((e) => ({
                  key: e.id,
                  color: e.type === 'follow_up' ? 'blue' : e.type === 'stage' ? 'green' : 'gray',
                  content: <TimelineRow event={e} />,
                }))}
              />
            ),
          },
          {
            key: 'orders',
            label: `${t('orders.title')} (${c.orders.length})`,
            children: c.orders.length ? (
              <Space direction="vertical" style={{ width: '100%' }}>
                {c.orders.map((o) => (
                  <OrderCard
                    key={o.id}
                    order={o}
                    onCancel={writable && o.status !== 'cancelled' ? () => setDialog({ cancel: o }) : undefined}
                  />
                ))}
              </Space>
            ) : (
              <Empty description={t('common.empty')} />
            ),
          },
          {
            key: 'deals',
            label: `${t('orders.deals')} (${c.deals.length})`,
            children: (
              <ResponsiveTable
                rowKey="id"
                dataSource={c.deals}
                pagination={false}
                cardTitle={(d) => dealStage(d.stage)}
                card={(d) => (
                  <Muted>
                    {money(d.expectedAmount)} · {Math.round(d.probability * 100)}%
                  </Muted>
                )}
                columns={[
                  { title: t('orders.dealStage'), dataIndex: 'stage', render: (s: string) => <Tag>{dealStage(s)}</Tag> },
                  { title: t('orders.expectedAmount'), dataIndex: 'expectedAmount', render: money },
                  { title: t('orders.probability'), dataIndex: 'probability', render: (p: number) => `${Math.round(p * 100)}%` },
                  {
                    title: t('orders.expectedClose'),
                    dataIndex: 'expectedCloseDate',
                    render: (v: string | null) => (v ? formatDateTime(v, settings, language).slice(0, 10) : '—'),
                  },
                  {
                    title: t('process.title'),
                    dataIndex: 'originProcessId',
                    render: (id: string) => <a href={href(`/processes/${encodeURIComponent(id)}`)}>{t('common.open')}</a>,
                  },
                ]}
              />
            ),
          },
          {
            key: 'service',
            label: `${t('customers.service.title')} (${c.serviceCases.length})`,
            children: (
              <ResponsiveTable
                rowKey="id"
                dataSource={c.serviceCases}
                pagination={false}
                cardTitle={(k) => serviceKind(k.kind)}
                card={(k) => (
                  <Space direction="vertical" size={2}>
                    <span>{k.description}</span>
                    <Muted>
                      {serviceStatus(k.status)} · {formatDateTime(k.createdAt, settings, language)}
                    </Muted>
                  </Space>
                )}
                columns={[
                  { title: t('customers.service.kind'), dataIndex: 'kind', render: serviceKind },
                  { title: t('customers.service.description'), dataIndex: 'description' },
                  {
                    title: t('common.status'),
                    dataIndex: 'status',
                    render: (s: string) => <Tag color={s === 'open' ? 'processing' : 'success'}>{serviceStatus(s)}</Tag>,
                  },
                  { title: t('customers.service.resolution'), dataIndex: 'resolution', render: (v: string | null) => v ?? '—' },
                  { title: t('common.time'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v, settings, language) },
                  {
                    title: t('process.title'),
                    dataIndex: 'processId',
                    render: (id: string) => <a href={href(`/processes/${encodeURIComponent(id)}`)}>{t('common.open')}</a>,
                  },
                ]}
              />
            ),
          },
          {
            key: 'records',
            label: `${t('nav.records')} (${c.records.length})`,
            children: (
              <ResponsiveTable
                rowKey="id"
                dataSource={c.records}
                pagination={false}
                cardTitle={(r) => <a href={href(`/processes/${encodeURIComponent(r.processId)}`)}>{recordKind(r.kind)}</a>}
                card={(r) => (
                  <Muted>
                    {r.createdByName} · {formatDateTime(r.createdAt, settings, language)}
                  </Muted>
                )}
                columns={[
                  {
                    title: t('records.kind'),
                    dataIndex: 'kind',
                    render: (k: string, r) => <a href={href(`/processes/${encodeURIComponent(r.processId)}`)}>{recordKind(k)}</a>,
                  },
                  { title: t('records.createdBy'), dataIndex: 'createdByName' },
                  { title: t('common.time'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v, settings, language) },
                ]}
              />
            ),
          },
        ]}
      />
      {dialog === 'follow-up' && (
        <FormDialog<{ channel: string; result: string; notes?: string; nextContactAt?: Dayjs }>
          title={t('customers.followUp.add')}
          name="follow-up"
          initialValues={{ channel: 'phone' }}
          onClose={() => setDialog(null)}
          onSubmit={(v) =>
            api.post(`/api/customers/${c.id}/follow-ups`, {
              channel: v.channel,
              result: v.result,
              ...(v.notes ? { notes: v.notes } : {}),
              ...(v.nextContactAt ? { nextContactAt: v.nextContactAt.toISOString() } : {}),
            })
          }
          onDone={() => done(t('customers.followUp.saved'))}
        >
          {() => (
            <>
              <Form.Item
                name="channel"
                label={t('customers.followUp.channel')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                {/* One tap on a phone: four choices side by side rather than a list to open. */}
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  options={FOLLOW_UP_CHANNELS.map((ch) => ({ value: ch, label: t(`customers.channels.${ch}`) }))}
                />
              </Form.Item>
              <Form.Item
                name="result"
                label={t('customers.followUp.result')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="notes" label={t('customers.followUp.notes')}>
                <Input.TextArea rows={3} maxLength={4000} />
              </Form.Item>
              <Form.Item name="nextContactAt" label={t('customers.followUp.next')}>
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
              </Form.Item>
            </>
          )}
        </FormDialog>
      )}
      {dialog === 'service' && (
        <FormDialog<{ kind: string; description: string }>
          title={t('customers.service.add')}
          name="service-case"
          onClose={() => setDialog(null)}
          onSubmit={(v, key) => api.post(`/api/customers/${c.id}/service-cases`, v, key)}
          onDone={() => done(t('customers.service.saved'))}
        >
          {() => (
            <>
              <Form.Item name="kind" label={t('customers.service.kind')} rules={[{ required: true, message: t('validation.required') }]}>
                <Select options={SERVICE_KINDS.map((k) => ({ value: k, label: serviceKind(k) }))} />
              </Form.Item>
              <Form.Item
                name="description"
                label={t('customers.service.description')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input.TextArea rows={4} maxLength={4000} />
              </Form.Item>
            </>
          )}
        </FormDialog>
      )}
      {dialog === 'tags' && (
        <FormDialog<{ tags: string[] }>
          title={t('customers.editTags')}
          name="customer-tags"
          initialValues={{ tags: c.tags }}
          onClose={() => setDialog(null)}
          onSubmit={(v) => api.patch(`/api/customers/${c.id}`, { tags: v.tags ?? [] })}
          onDone={() => done(t('common.saved'))}
        >
          {() => (
            <Form.Item name="tags" label={t('customers.tags')} extra={t('customers.tagsHint')}>
              <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} />
            </Form.Item>
          )}
        </FormDialog>
      )}
      {dialog && typeof dialog === 'object' && (
        <FormDialog<{ reason: string; refundAmount: number }>
          title={t('orders.cancel.title', { number: dialog.cancel.number ?? '' })}
          name="order-cancel"
          okText={t('orders.cancel.submit')}
          initialValues={{ refundAmount: Number(dialog.cancel.deposit ?? 0) }}
          onClose={() => setDialog(null)}
          onSubmit={(v, key) => api.post(`/api/orders/${dialog.cancel.id}/cancel`, v, key)}
          onDone={() => done(t('orders.cancel.started'))}
        >
          {() => (
            <>
              <Muted block style={{ marginBottom: 12 }}>
                {t('orders.cancel.explain')}
              </Muted>
              <Form.Item name="reason" label={t('orders.cancel.reason')} rules={[{ required: true, message: t('validation.required') }]}>
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
              <Form.Item
                name="refundAmount"
                label={t('orders.cancel.refund')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <InputNumber min={0} step={1000} precision={2} style={{ width: '100%' }} />
              </Form.Item>
            </>
          )}
        </FormDialog>
      )}
    </>
  );
}

/** One timeline row in words: what happened, by whom, when, with its details. */
function TimelineRow({ event: e }: { event: CustomerEvent }) {
  const { t, customerEvent, customerStage, channel, option, language } = useLabels();
  const { settings } = useSession();
  const data = e.data ?? {};
  const money = (v: unknown) => formatMoney(Number(v), settings, language);
  const detail = (() => {
    switch (e.type) {
      case 'follow_up':
        return [channel(e.channel), e.result, e.notes].filter(Boolean).join(' · ');
      case 'stage':
        return `${customerStage(String(data.from ?? ''))} → ${customerStage(String(data.to ?? ''))}${data.reason ? ` · ${String(data.reason)}` : ''}`;
      case 'classified':
        return [option(String(data.intentLevel ?? '')), e.notes].filter(Boolean).join(' · ');
      case 'order':
        return `${t(`orders.kinds.${String(data.kind)}`)} ${String(data.number ?? '')} · ${money(data.price)}`;
      case 'payment':
        return t('customers.paymentRow', { seq: String(data.seq ?? ''), amount: money(data.amount) });
      case 'refund':
        return money(data.amount);
      case 'transfer':
        return data.reason ? String(data.reason) : '';
      default:
        return e.notes ?? '';
    }
  })();
  return (
    <Space direction="vertical" size={0}>
      <span>
        <strong>{customerEvent(e.type)}</strong> {detail && <span>{detail}</span>}
      </span>
      <Muted>
        {formatDateTime(e.at, settings, language)} · {e.byDisplayName ?? (e.byName === 'system' ? t('event.system') : e.byName)}
        {e.nextContactAt && ` · ${t('customers.followUp.next')} ${formatDateTime(e.nextContactAt, settings, language)}`}
        {e.processId && (
          <>
            {' · '}
            <a href={href(`/processes/${encodeURIComponent(e.processId)}`)}>{t('customers.inProcess')}</a>
          </>
        )}
      </Muted>
    </Space>
  );
}
