import { Button, Card, Descriptions, Progress, Space, Table, Tag } from 'antd';
import type { Order, Payment } from '../../api/types';
import { Muted } from '../../components/text';
import { formatDateTime, formatMoney } from '../../format';
import { useLabels } from '../../i18n/labels';
import { href } from '../../router';
import { useSession } from '../../session';

export const ORDER_STATUS_COLORS: Record<Order['status'], string> = {
  draft: 'default',
  approved: 'processing',
  signed: 'success',
  cancelled: 'red',
};

/** What of an order's schedule is paid: amounts as numbers (the API sends decimals as strings). */
export function paidShare(order: Order): { paid: number; due: number; late: number } {
  const due = order.payments.reduce((sum, p) => sum + Number(p.amount), 0);
  const paid = order.payments.reduce((sum, p) => sum + Number(p.paidAmount ?? 0), 0);
  return { paid, due, late: order.payments.filter((p) => p.late).length };
}

/** The unit of an order as the sales office names it: `3-1201（三室两厅）`. */
export const unitLabel = (order: Order): string => (order.unit ? `${order.unit.building}-${order.unit.unitNo}` : '—');

/**
 * A subscription or contract: price, discount, payment method, and the payment
 * schedule with what is paid and what is late; refunds after a cancellation.
 */
export function OrderCard({ order: o, onCancel }: { order: Order; onCancel?: () => void }) {
  const { t, orderKind, orderStatus, option, language } = useLabels();
  const { settings } = useSession();
  const money = (v: string | number | null) => (v === null ? '—' : formatMoney(v, settings, language));
  const day = (v: string | null) => (v ? formatDateTime(v, settings, language).slice(0, 10) : '—');
  const share = paidShare(o);
  return (
    <Card
      size="small"
      data-testid={`order-${o.kind}`}
      title={
        <Space wrap size={8}>
          {orderKind(o.kind)}
          {o.number && <span>{o.number}</span>}
          <a href={href(`/units?unit=${o.unitId}`)}>{unitLabel(o)}</a>
          <Tag color={ORDER_STATUS_COLORS[o.status]}>{orderStatus(o.status)}</Tag>
        </Space>
      }
      extra={
        onCancel && (
          <Button size="small" danger onClick={onCancel}>
            {t('orders.cancel.button')}
          </Button>
        )
      }
    >
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
        <Descriptions.Item label={t('orders.listPrice')}>{money(o.listPrice)}</Descriptions.Item>
        <Descriptions.Item label={t('orders.price')}>{money(o.price)}</Descriptions.Item>
        <Descriptions.Item label={t('orders.discount')}>{money(o.discount)}</Descriptions.Item>
        <Descriptions.Item label={t('orders.paymentMethod')}>{o.paymentMethod ? option(o.paymentMethod) : '—'}</Descriptions.Item>
        {o.deposit !== null && <Descriptions.Item label={t('orders.deposit')}>{money(o.deposit)}</Descriptions.Item>}
        {o.signingDeadline && <Descriptions.Item label={t('orders.signingDeadline')}>{day(o.signingDeadline)}</Descriptions.Item>}
        {o.signedAt && <Descriptions.Item label={t('orders.signedAt')}>{day(o.signedAt)}</Descriptions.Item>}
        {o.approvalLevel && o.approvalLevel !== 'agent' && (
          <Descriptions.Item label={t('orders.approvedBy')}>{t(`role.${o.approvalLevel}`)}</Descriptions.Item>
        )}
        <Descriptions.Item label={t('process.title')}>
          <a href={href(`/processes/${encodeURIComponent(o.processId)}`)}>{t('common.open')}</a>
        </Descriptions.Item>
      </Descriptions>
      {o.payments.length > 0 && (
        <>
          <Space style={{ margin: '8px 0' }} wrap>
            <Muted>{t('orders.paid', { paid: money(share.paid), due: money(share.due) })}</Muted>
            <Progress percent={share.due ? Math.round((share.paid / share.due) * 100) : 0} size="small" style={{ width: 160 }} />
            {share.late > 0 && <Tag color="red">{t('orders.lateCount', { count: share.late })}</Tag>}
          </Space>
          <Table<Payment>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={o.payments}
            data-testid="payments"
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('orders.instalment'), dataIndex: 'seq', render: (n: number) => t('orders.instalmentNo', { n }) },
              { title: t('orders.dueAt'), dataIndex: 'dueAt', render: day },
              { title: t('orders.amount'), dataIndex: 'amount', render: money },
              {
                title: t('orders.received'),
                key: 'paid',
                render: (_, p) =>
                  p.paidAt ? (
                    <span>
                      {money(p.paidAmount)} · {day(p.paidAt)} {p.method ? `· ${option(p.method)}` : ''}
                    </span>
                  ) : p.late ? (
                    <Tag color="red">{t('orders.late')}</Tag>
                  ) : (
                    <Muted>{t('orders.notYet')}</Muted>
                  ),
              },
            ]}
          />
        </>
      )}
      {o.refunds.map((r) => (
        <Muted block key={r.id} style={{ marginTop: 8 }}>
          {t('orders.refundRow', {
            amount: money(r.amount),
            status: t(`orders.refundStatuses.${r.status}`),
            reason: r.reason,
          })}
          {r.refundedAt && ` · ${day(r.refundedAt)}`}
        </Muted>
      ))}
    </Card>
  );
}
