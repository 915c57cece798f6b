import { Alert, Grid, Space, Table, Tag, type TableProps } from 'antd';
import { errorText } from '../api/error-text';
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import type { ProcessStatus, StepStatus, Task, TaskStatus, UnitStatus } from '../api/types';
import { formatDateTime } from '../format';
import { useLabels } from '../i18n/labels';
import { useSession } from '../session';
import { Heading, Muted } from './text';
import type { PhoneCardsProps } from './phone-cards';

/** A page's title with its actions on the right (wrapping on phones). */
export function PageTitle({ title, extra }: { title: ReactNode; extra?: ReactNode }) {
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'center', gap: 8, marginBottom: 16 }}>
      <Heading>{title}</Heading>
      {extra ? <Space wrap>{extra}</Space> : null}
    </div>
  );
}

/** A failed read: the API's message, or a generic one. */
export function LoadError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const message = error instanceof ApiError && error.status === 403 ? t('common.forbidden') : t('common.error');
  const description = errorText(error);
  return <Alert type="error" showIcon title={message} description={description} style={{ marginBottom: 16 }} />;
}

export const PROCESS_COLORS: Record<ProcessStatus, string> = {
  running: 'processing',
  failing: 'error',
  completed: 'success',
  rejected: 'warning',
  cancelled: 'default',
  failed: 'error',
};
export const TASK_COLORS: Record<TaskStatus, string> = {
  open: 'processing',
  completing: 'processing',
  completed: 'success',
  cancelled: 'default',
};
/** Step states as the diagram colours them; `pending` is a step not reached yet. */
export const STEP_COLORS: Record<StepStatus | 'pending', string> = {
  pending: '#fafafa',
  running: '#e6f4ff',
  waiting: '#fffbe6',
  failed: '#fff1f0',
  completed: '#f6ffed',
  rejected: '#fff2e8',
  skipped: '#f5f5f5',
};
export const STEP_BORDERS: Record<StepStatus | 'pending', string> = {
  pending: '#d9d9d9',
  running: '#1677ff',
  waiting: '#faad14',
  failed: '#ff4d4f',
  completed: '#52c41a',
  rejected: '#fa541c',
  skipped: '#bfbfbf',
};
export const UNIT_COLORS: Record<UnitStatus, string> = {
  available: '#f6ffed',
  reserved: '#fffbe6',
  subscribed: '#e6f4ff',
  sold: '#f5f5f5',
};
export const UNIT_BORDERS: Record<UnitStatus, string> = {
  available: '#52c41a',
  reserved: '#faad14',
  subscribed: '#1677ff',
  sold: '#8c8c8c',
};

export function ProcessStatusTag({ status }: { status: ProcessStatus }) {
  const { processStatus } = useLabels();
  return <Tag color={PROCESS_COLORS[status] ?? 'default'}>{processStatus(status)}</Tag>;
}

export function TaskStatusTag({ status }: { status: TaskStatus }) {
  const { taskStatus } = useLabels();
  return <Tag color={TASK_COLORS[status] ?? 'default'}>{taskStatus(status)}</Tag>;
}

/** A task's due time in the settings' time zone, with overdue, escalated and paused marks. */
export function DueCell({ task }: { task: Task }) {
  const { t, role, language } = useLabels();
  const { settings } = useSession();
  const overdue = task.status === 'open' && new Date(task.dueAt).getTime() < Date.now();
  return (
    <Space size={4} wrap>
      {overdue ? (
        <Muted danger>{formatDateTime(task.dueAt, settings, language)}</Muted>
      ) : (
        <span>{formatDateTime(task.dueAt, settings, language)}</span>
      )}
      {overdue && <Tag color="red">{t('task.overdue')}</Tag>}
      {task.escalationLevel > 0 && (
        // antd's orange text on its orange tint is below WCAG AA contrast: a darker text.
        <Tag color="orange" style={{ color: '#873800' }}>
          {t('task.escalated', { role: role(task.assigneeRole) })}
        </Tag>
      )}
      {task.pausedAt && <Tag>{t('task.paused')}</Tag>}
    </Space>
  );
}

// Phones only: the card list's code loads when a phone shows a table.
const PhoneCards = lazy(() => import('./phone-cards')) as unknown as <T>(props: PhoneCardsProps<T>) => ReactNode;

/**
 * A table on wide screens and a list of cards on phones, so that nothing scrolls
 * sideways at 390 px. `card` renders one row as a card's content.
 */
export function ResponsiveTable<T extends object>({
  card,
  cardTitle,
  empty,
  ...table
}: TableProps<T> & { card: (row: T) => ReactNode; cardTitle: (row: T) => ReactNode; empty?: string }) {
  const screens = Grid.useBreakpoint();
  const { t } = useTranslation();
  if (screens.md)
    return <Table<T> {...table} locale={{ emptyText: <Muted>{empty ?? t('common.empty')}</Muted> }} scroll={{ x: 'max-content' }} />;
  const rows = (table.dataSource ?? []) as T[];
  const key = (row: T, i: number) =>
    typeof table.rowKey === 'string' ? String((row as Record<string, unknown>)[table.rowKey]) : String(i);
  return (
    <Suspense fallback={null}>
      <PhoneCards
        rows={rows}
        rowKey={key}
        loading={Boolean(table.loading)}
        empty={<Muted>{empty ?? t('common.empty')}</Muted>}
        card={card}
        cardTitle={cardTitle}
      />
    </Suspense>
  );
}
