import { Button, Progress, Select, Space, Tabs, Tag } from 'antd';
import { DEAL_STAGES } from '../../../../domain';
import { getAll, TooManyRows } from '../../api/paging';
import { errorText } from '../../api/error-text';
import { useMessage } from '../../feedback';
import { usePagedList } from '../../api/queries';
import { loadProjects } from '../../api/shared';
import type { Deal, DealStage, Order } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle } from '../../components/common';
import { PagedTable } from '../../components/paged-table';
import { downloadCsv } from '../../components/download';
import { Muted } from '../../components/text';
import { formatDateTime, formatMoney } from '../../format';
import { useLabels } from '../../i18n/labels';
import { href, setQueryParams } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';
import { ORDER_STATUS_COLORS, OrderCard, paidShare, unitLabel } from './order-card';
import { useProjectChoice } from '../../components/project-choice';
import { ProjectSelect } from '../../components/project-select';

/** The most orders one CSV holds: beyond it the export is refused with a message (narrow the filters). */
const EXPORT_CAP = 20_000;

const KINDS = ['subscription', 'contract'] as const;
const STATUSES = ['draft', 'approved', 'signed', 'cancelled'] as const;

/**
 * Orders (认购、签约) with what is paid and what is late, and deals (商机) by stage:
 * the sales office's ledger. A row opens its payment schedule; the customer's page
 * has the rest.
 */
export default function OrdersPage({ query }: PageProps) {
  const { t, orderKind, orderStatus, dealStage, option, language } = useLabels();
  const { settings } = useSession();
  const message = useMessage();
  const projects = useApi(['/api/projects'], loadProjects);
  const [projectId, setProjectId] = useProjectChoice(projects.data);
  // The filters live in the address: a filtered list survives a reload and can be shared.
  const kind = query.kind === 'subscription' || query.kind === 'contract' ? query.kind : undefined;
  const status = query.status as Order['status'] | undefined;
  const stage = query.stage as DealStage | undefined;
  const tab = query.tab === 'deals' ? 'deals' : 'orders';
  const orderFilters = { projectId, kind, status };
  const dealFilters = { projectId, stage };
  const orders = usePagedList<Order>('/api/orders', orderFilters, { enabled: projectId !== undefined });
  const deals = usePagedList<Deal>('/api/deals', dealFilters, { enabled: projectId !== undefined && tab === 'deals' });
  const pipeline = (deals.data?.pages[0] as { pipeline?: string } | undefined)?.pipeline;
  const money = (v: string | number | null) => (v === null ? '—' : formatMoney(v, settings, language));
  const day = (v: string | null) => (v ? formatDateTime(v, settings, language).slice(0, 10) : '—');
  const customerLink = (c?: { id: string; name: string }) => (c ? <a href={href(`/customers/${c.id}`)}>{c.name}</a> : '—');

  // Every order of the filters, read page by page when asked for (the table holds one page).
  const exportOrders = async () => {
    let all: Order[];
    try {
      all = await getAll<Order>('/api/orders', orderFilters, EXPORT_CAP);
    } catch (err) {
      message.error(err instanceof TooManyRows ? t('common.exportTooMany', { cap: err.cap }) : errorText(err));
      return;
    }
    downloadCsv(
      `orders-${projectId}.csv`,
      [
        t('orders.number'),
        t('orders.kind'),
        t('customers.name'),
        t('orders.unit'),
        t('orders.listPrice'),
        t('orders.price'),
        t('orders.discount'),
        t('common.status'),
        t('orders.paidAmount'),
        t('orders.dueAmount'),
        t('orders.lateInstalments'),
      ],
      all.map((o) => {
        const share = paidShare(o);
        return [
          o.number ?? '',
          orderKind(o.kind),
          o.customer?.name ?? '',
          unitLabel(o),
          o.listPrice,
          o.price,
          o.discount,
          orderStatus(o.status),
          share.paid,
          share.due,
          share.late,
        ];
      }),
    );
  };

  return (
    <>
      <PageTitle
        title={t('orders.title')}
        extra={<ProjectSelect id="orders-project" projects={projects.data} value={projectId} onChange={setProjectId} />}
      />
      <Tabs
        activeKey={tab}
        onChange={(key) => setQueryParams({ tab: key === 'deals' ? 'deals' : undefined })}
        items={[
          {
            key: 'orders',
            label: t('orders.orders'),
            children: (
              <>
                <LoadError error={orders.error} />
                <Space wrap style={{ marginBottom: 16 }}>
                  <Select
                    id="orders-kind"
                    allowClear
                    aria-label={t('orders.kind')}
                    placeholder={t('orders.kind')}
                    style={{ width: 140 }}
                    value={kind}
                    onChange={(v?: string) => setQueryParams({ kind: v })}
                    options={KINDS.map((k) => ({ value: k, label: orderKind(k) }))}
                  />
                  <Select
                    allowClear
                    aria-label={t('common.status')}
                    placeholder={t('common.status')}
                    style={{ width: 140 }}
                    value={status}
                    onChange={(v?: string) => setQueryParams({ status: v })}
                    options={STATUSES.map((s) => ({ value: s, label: orderStatus(s) }))}
                  />
                  <Button onClick={() => void exportOrders()} disabled={!orders.data?.pages[0]?.items.length}>
                    {t('common.exportCsv')}
                  </Button>
                </Space>
                <PagedTable<Order>
                  filters={orderFilters}
                  query={orders}
                  rowKey="id"
                  expandable={{ expandedRowRender: (o) => <OrderCard order={o} /> }}
                  cardTitle={(o) => (
                    <Space size={4} wrap>
                      {orderKind(o.kind)} {unitLabel(o)}
                      <Tag color={ORDER_STATUS_COLORS[o.status]}>{orderStatus(o.status)}</Tag>
                    </Space>
                  )}
                  card={(o) => {
                    const share = paidShare(o);
                    return (
                      <Space direction="vertical" size={2}>
                        {customerLink(o.customer)}
                        <span>{money(o.price)}</span>
                        {o.payments.length > 0 && (
                          <Muted danger={share.late > 0}>
                            {t('orders.paid', { paid: money(share.paid), due: money(share.due) })}
                            {share.late > 0 && ` · ${t('orders.lateCount', { count: share.late })}`}
                          </Muted>
                        )}
                      </Space>
                    );
                  }}
                  columns={[
                    { title: t('orders.number'), dataIndex: 'number', render: (v: string | null) => v ?? '—' },
                    { title: t('orders.kind'), dataIndex: 'kind', render: orderKind },
                    { title: t('customers.name'), key: 'customer', render: (_, o) => customerLink(o.customer) },
                    { title: t('orders.unit'), key: 'unit', render: (_, o) => unitLabel(o) },
                    { title: t('orders.price'), dataIndex: 'price', render: money },
                    { title: t('orders.discount'), dataIndex: 'discount', render: money },
                    { title: t('orders.paymentMethod'), dataIndex: 'paymentMethod', render: (v: string | null) => (v ? option(v) : '—') },
                    {
                      title: t('common.status'),
                      dataIndex: 'status',
                      render: (s: Order['status']) => <Tag color={ORDER_STATUS_COLORS[s]}>{orderStatus(s)}</Tag>,
                    },
                    {
                      title: t('orders.payments'),
                      key: 'payments',
                      render: (_, o) => {
                        if (!o.payments.length) return '—';
                        const share = paidShare(o);
                        return (
                          <Space size={4}>
                            <Progress
                              percent={share.due ? Math.round((share.paid / share.due) * 100) : 0}
                              size="small"
                              style={{ width: 100 }}
                            />
                            {share.late > 0 && <Tag color="red">{t('orders.lateCount', { count: share.late })}</Tag>}
                          </Space>
                        );
                      },
                    },
                    { title: t('common.time'), dataIndex: 'createdAt', render: day },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'deals',
            label: t('orders.deals'),
            children: (
              <>
                <LoadError error={deals.error} />
                <Space wrap style={{ marginBottom: 16 }}>
                  <Select
                    allowClear
                    aria-label={t('orders.dealStage')}
                    placeholder={t('orders.dealStage')}
                    style={{ width: 140 }}
                    value={stage}
                    onChange={(v?: string) => setQueryParams({ stage: v })}
                    options={DEAL_STAGES.map((s) => ({ value: s, label: dealStage(s) }))}
                  />
                  <Muted>
                    {t('orders.pipeline', {
                      amount: money(pipeline ?? null),
                    })}
                  </Muted>
                </Space>
                <PagedTable<Deal>
                  filters={dealFilters}
                  query={deals}
                  rowKey="id"
                  cardTitle={(d) => customerLink(d.customer)}
                  card={(d) => (
                    <Space direction="vertical" size={2}>
                      <Tag>{dealStage(d.stage)}</Tag>
                      <Muted>
                        {money(d.expectedAmount)} · {Math.round(d.probability * 100)}% · {day(d.expectedCloseDate)}
                      </Muted>
                    </Space>
                  )}
                  columns={[
                    { title: t('customers.name'), key: 'customer', render: (_, d) => customerLink(d.customer) },
                    { title: t('orders.dealStage'), dataIndex: 'stage', render: (s: DealStage) => <Tag>{dealStage(s)}</Tag> },
                    { title: t('orders.expectedAmount'), dataIndex: 'expectedAmount', render: money },
                    { title: t('orders.probability'), dataIndex: 'probability', render: (p: number) => `${Math.round(p * 100)}%` },
                    { title: t('orders.expectedClose'), dataIndex: 'expectedCloseDate', render: day },
                    { title: t('customers.lostReason'), dataIndex: 'lostReason', render: (v: string | null) => v ?? '—' },
                  ]}
                />
              </>
            ),
          },
        ]}
      />
    </>
  );
}
