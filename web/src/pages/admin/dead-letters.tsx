import { Button, Space, Typography } from 'antd';
import { api } from '../../api/client';
import { errorText } from '../../api/error-text';
import { invalidate, usePagedList } from '../../api/queries';
import { LoadError, PageTitle } from '../../components/common';
import { PagedTable } from '../../components/paged-table';
import { Muted } from '../../components/text';
import { useMessage } from '../../feedback';
import { formatDateTime } from '../../format';
import { useLabels } from '../../i18n/labels';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';

/** A delivery that failed every attempt. */
interface DeadLetter {
  id: string;
  channel: string;
  target: string;
  kind: string;
  subject: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

/** Notifications that could not be delivered after every attempt, each with "retry". */
export default function DeadLettersPage(_props: PageProps) {
  const { t, language } = useLabels();
  const { settings } = useSession();
  const message = useMessage();
  const rows = usePagedList<DeadLetter>('/api/notifications/dead-letters', {});
  const retry = async (id: string) => {
    try {
      await api.post(`/api/notifications/dead-letters/${id}/retry`);
      void message.success(t('deadLetters.queued'));
      void invalidate('/api/notifications/dead-letters');
    } catch (err) {
      void message.error(errorText(err));
    }
  };
  return (
    <>
      <PageTitle title={t('deadLetters.title')} />
      <LoadError error={rows.error} />
      <PagedTable<DeadLetter>
        query={rows}
        rowKey="id"
        size="small"
        empty={t('deadLetters.none')}
        cardTitle={(row) => row.subject}
        card={(row) => (
          <Space direction="vertical" size={4}>
            <Muted>
              {formatDateTime(row.createdAt, settings, language)} · {t(`preferences.channel.${row.channel}`, row.channel)} · {row.target}
            </Muted>
            <Typography.Text type="danger">{row.lastError}</Typography.Text>
            <Button size="small" onClick={() => void retry(row.id)}>
              {t('deadLetters.retry')}
            </Button>
          </Space>
        )}
        columns={[
          { title: t('common.time'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v, settings, language) },
          { title: t('deadLetters.channel'), dataIndex: 'channel', render: (v: string) => t(`preferences.channel.${v}`, v) },
          { title: t('deadLetters.target'), dataIndex: 'target' },
          { title: t('deadLetters.subject'), dataIndex: 'subject' },
          { title: t('deadLetters.attempts'), dataIndex: 'attempts' },
          {
            title: t('deadLetters.lastError'),
            dataIndex: 'lastError',
            render: (v: string | null) => <Typography.Text type="danger">{v}</Typography.Text>,
          },
          {
            title: t('common.actions'),
            key: 'retry',
            render: (_: unknown, row) => (
              <Button size="small" onClick={() => void retry(row.id)}>
                {t('deadLetters.retry')}
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}
