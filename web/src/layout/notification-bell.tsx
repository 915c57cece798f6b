import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import { followEvents } from '../api/stream';
import { formatDateTime } from '../format';
import { useLabels } from '../i18n/labels';
import { navigate, usePath } from '../router';
import { useSession } from '../session';

/** One in-app notification as `/api/notifications` lists it. */
interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

/** The page a notification's deep link opens (`…/#/tasks/<id>`), as a path of this app. */
function pathOf(link: string | null): string | null {
  if (!link) return null;
  const hash = link.indexOf('#');
  return hash >= 0 ? link.slice(hash + 1) : null;
}

/**
 * The notification centre in the header: the unread count (live, from the server's
 * stream), the latest notifications, each opening its task or process and marking
 * itself read, and "mark all read". The list is the server's, so it survives a reload.
 */
export default function NotificationBell() {
  const { t, language } = useLabels();
  const { settings } = useSession();
  const [unread, setUnread] = useState(0);
  const [items, setItems] = useState<Notification[]>([]);
  const [open, setOpen] = useState(false);

  const load = useCallback(async () => {
    const res = await api.get<{ items: Notification[]; unreadCount: number }>('/api/notifications', { limit: 20 });
    setItems(res.items);
    setUnread(res.unreadCount);
  }, []);

  useEffect(() => {
    void load().catch(() => undefined);
    const controller = new AbortController();
    void followEvents('/api/notifications/stream?maxSeconds=600', controller.signal, (event, data) => {
      if (event === 'unread') setUnread((JSON.parse(data) as { unreadCount: number }).unreadCount);
      if (event === 'notification') {
        const note = JSON.parse(data) as Notification;
        setItems((list) => [note, ...list.filter((n) => n.id !== note.id)].slice(0, 20));
        setUnread((n) => n + 1);
      }
    });
    return () => controller.abort();
  }, [load]);

  // Opening or finishing a task settles its notifications on the server: the count is
  // read again as the user moves on (a quiet request per page).
  const path = usePath();
  useEffect(() => {
    const timer = setTimeout(() => void load().catch(() => undefined), 500);
    return () => clearTimeout(timer);
  }, [path, load]);

  const openNote = async (note: Notification) => {
    setOpen(false);
    if (!note.readAt) {
      setUnread((n) => Math.max(0, n - 1));
      setItems((list) => list.map((n) => (n.id === note.id ? { ...n, readAt: new Date().toISOString() } : n)));
      await api.post(`/api/notifications/${note.id}/read`).catch(() => undefined);
    }
    const path = pathOf(note.link);
    if (path) navigate(path);
  };

  const readAll = async () => {
    await api.post('/api/notifications/read-all');
    setUnread(0);
    setItems((list) => list.map((n) => ({ ...n, readAt: n.readAt ?? new Date().toISOString() })));
  };

  const content = (
    // On a 390-px phone the popover keeps 8 px from each edge, "mark all read" included.
    <div style={{ width: 'min(360px, calc(100vw - 48px))' }}>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.none')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          style={{ maxHeight: 420, overflowY: 'auto' }}
          renderItem={(note) => (
            <List.Item
              key={note.id}
              data-testid="notification-item"
              onClick={() => void openNote(note)}
              style={{ cursor: 'pointer', background: note.readAt ? undefined : '#f0f7ff', paddingInline: 8 }}
            >
              <List.Item.Meta
                title={<Typography.Text strong={!note.readAt}>{note.title}</Typography.Text>}
                description={
                  <Space direction="vertical" size={0}>
                    <Typography.Text type="secondary" ellipsis style={{ maxWidth: 320 }}>
                      {note.body.split('\n')[0]}
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTime(note.createdAt, settings, language)}
                    </Typography.Text>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) void load().catch(() => undefined);
      }}
      trigger="click"
      placement="bottomRight"
      styles={{ root: { maxWidth: 'calc(100vw - 16px)' } }}
      title={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <span>{t('notifications.title')}</span>
          <Button size="small" type="link" disabled={unread === 0} onClick={() => void readAll()}>
            {t('notifications.readAll')}
          </Button>
        </Space>
      }
      content={content}
    >
      <Button
        type="text"
        // The name holds the count the badge shows (axe: a label must contain the visible text).
        aria-label={unread > 0 ? `${t('notifications.title')} ${unread > 99 ? '99+' : unread}` : t('notifications.title')}
        data-testid="notification-bell"
      >
        <Badge count={unread} size="small" data-testid="notification-count">
          <BellOutlined style={{ fontSize: 16 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
