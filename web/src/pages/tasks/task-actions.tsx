import { Button, Dropdown, Space, type MenuProps } from 'antd';
import { errorText } from '../../api/error-text';
import { useMessage } from '../../feedback';
import { lazy, Suspense, useEffect, useState } from 'react';
import { api, newIdempotencyKey } from '../../api/client';
import type { Person, Task } from '../../api/types';
import { useLabels } from '../../i18n/labels';
import { useSession } from '../../session';
import { taskPermissions } from '../../task-access';
import { navigate } from '../../router';

import type { Dialog } from './task-action-dialog';

// The dialogs (forms, pickers) load when one is first opened.
const TaskActionDialog = lazy(() => import('./task-action-dialog'));

/**
 * The actions the API allows the user on one task: claim, release, delegate, hand
 * back; for managers reassign, extend, pause and resume the deadline. Each request
 * carries its own idempotency key.
 */
export function TaskActions({
  task,
  people,
  roles,
  onDone,
  compact,
  onTaskPage,
  onBusy,
}: {
  task: Task;
  people: Person[];
  roles: string[];
  onDone: () => void;
  compact?: boolean;
  /** Told when a dialog opens or an action is on its way, and when it is over (the live list waits meanwhile). */
  onBusy?: (busy: boolean) => void;
  /** On the task's own page the form is right there: no "hand back" link to it. */
  onTaskPage?: boolean;
}) {
  const { t } = useLabels();
  const { me } = useSession();
  const message = useMessage();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [busy, setBusy] = useState(false);
  const engaged = dialog !== null || busy;
  // Balanced: one "busy" while engaged, its end when done or when the row goes away.
  useEffect(() => {
    if (!engaged || !onBusy) return;
    onBusy(true);
    return () => onBusy(false);
  }, [engaged, onBusy]);
  if (!me) return null;
  const may = taskPermissions({ id: me.id, roles: me.roles, permissions: me.permissions }, task);

  const act = async (segment: string, body: unknown, label: string) => {
    setBusy(true);
    try {
      await api.post(`/api/tasks/${task.id}/${segment}`, body, newIdempotencyKey());
      message.success(t('task.actionDone', { action: label }));
      setDialog(null);
      onDone();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const main: { key: string; label: string; onClick: () => void; primary?: boolean }[] = [];
  if (may.claim)
    main.push({ key: 'claim', label: t('task.action.claim'), onClick: () => void act('claim', {}, t('task.action.claim')), primary: true });
  if (may.handBack && !onTaskPage)
    main.push({ key: 'handBack', label: t('task.action.handBack'), onClick: () => navigate(`/tasks/${task.id}`), primary: true });
  if (may.delegate) main.push({ key: 'delegate', label: t('task.action.delegate'), onClick: () => setDialog('delegate') });
  if (may.release)
    main.push({ key: 'release', label: t('task.action.release'), onClick: () => void act('release', {}, t('task.action.release')) });
  const manage: MenuProps['items'] = [];
  if (may.reassign) manage.push({ key: 'reassign', label: t('task.action.reassign'), onClick: () => setDialog('reassign') });
  if (may.deadline) {
    manage.push({ key: 'extend', label: t('task.action.extend'), onClick: () => setDialog('extend') });
    manage.push(
      task.pausedAt
        ? {
            key: 'resume',
            label: t('task.action.resume'),
            onClick: () => void act('deadline', { action: 'resume' }, t('task.action.resume')),
          }
        : { key: 'pause', label: t('task.action.pause'), onClick: () => void act('deadline', { action: 'pause' }, t('task.action.pause')) },
    );
  }
  if (!main.length && !manage.length) return null;
  const candidates = people.filter((p) => p.id !== me.id);

  return (
    <>
      <Space size={4} wrap>
        {main.map((a) => (
          <Button
            key={a.key}
            size={compact ? 'small' : 'middle'}
            type={a.primary ? 'primary' : 'default'}
            loading={busy}
            onClick={a.onClick}
            data-action={a.key}
          >
            {a.label}
          </Button>
        ))}
        {manage.length > 0 && (
          <Dropdown menu={{ items: manage }} trigger={['click']}>
            <Button size={compact ? 'small' : 'middle'} data-action="more">
              {t('task.action.more')}
            </Button>
          </Dropdown>
        )}
      </Space>
      {dialog && (
        <Suspense fallback={null}>
          <TaskActionDialog
            dialog={dialog}
            busy={busy}
            people={people}
            candidates={candidates}
            roles={roles}
            onCancel={() => setDialog(null)}
            act={act}
          />
        </Suspense>
      )}
    </>
  );
}
