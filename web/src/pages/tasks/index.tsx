import { ReloadOutlined } from '@ant-design/icons';
import { Button, Checkbox, Select, Space } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api/client';
import { loadPeople } from '../../api/shared';
import type { Person, ProcessRow, Project, Task } from '../../api/types';
import { useApi } from '../../api/use-api';
import { DueCell, LoadError, PageTitle, ResponsiveTable } from '../../components/common';
import { dayOf } from '../../format';
import { localText, useLabels } from '../../i18n/labels';
import { href } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';
import { TaskActions } from './task-actions';
import { Muted } from '../../components/text';
import { ROLE_KEYS } from '../../vocabulary';

interface Inbox {
  tasks: Task[];
  processes: Map<string, ProcessRow>;
  projects: Project[];
  people: Person[];
}

/** The open tasks the user may act on, with filters, sorting and the actions the API allows. */
export default function TasksPage(_props: PageProps) {
  const { t, role, text, language } = useLabels();
  const { me, settings, can } = useSession();
  const [definition, setDefinition] = useState<string>();
  const [project, setProject] = useState<string>();
  const [flags, setFlags] = useState<string[]>([]);
  // The tasks change all the time; what they are shown with (the running processes'
  // titles, the projects, the people) seldom: a live change reloads the tasks alone.
  const tasks = useApi(() => api.get<Task[]>('/api/tasks', { mine: true, limit: 500 }), []);
  const context = useApi(async () => {
    const [processes, projects, people] = await Promise.all([
      can('processes.read') ? api.get<ProcessRow[]>('/api/processes', { status: 'running', limit: 500 }) : Promise.resolve([]),
      api.get<Project[]>('/api/projects'),
      loadPeople().catch(() => []),
    ]);
    return { processes: new Map(processes.map((p) => [p.id, p])), projects, people };
  }, []);
  const { reload: reloadTasks } = tasks;
  const { reload: reloadContext, data: contextData } = context;
  const reloadAll = useCallback(() => (reloadTasks(), reloadContext()), [reloadTasks, reloadContext]);
  const inbox = {
    data: tasks.data && context.data ? ({ tasks: tasks.data, ...context.data } satisfies Inbox) : undefined,
    error: tasks.error ?? context.error,
    loading: tasks.loading || context.loading,
    reload: reloadAll,
  };
  // A task of a process started since the context loaded: load the context again, once for those processes.
  const asked = useRef(new Set<string>());
  useEffect(() => {
    const unknown = (tasks.data ?? []).map((task) => task.processId).filter((id) => contextData && !contextData.processes.has(id));
    const fresh = unknown.filter((id) => !asked.current.has(id));
    if (fresh.length === 0 || !can('processes.read')) return;
    for (const id of fresh) asked.current.add(id);
    reloadContext();
  }, [tasks.data, contextData, reloadContext, can]);

  // Live: a task of the caller's projects opened, moved or closed somewhere reloads the
  // list (a burst of changes once), but not under a dialog the user is filling in or an
  // action on its way: then it waits until they are done. The stream reader loads after the first paint.
  const reload = reloadTasks;
  const engaged = useRef(0);
  const onBusy = useCallback((busy: boolean) => {
    engaged.current += busy ? 1 : -1;
  }, []);
  useEffect(() => {
    const controller = new AbortController();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const reloadWhenFree = () => {
      pending = setTimeout(() => (engaged.current > 0 ? reloadWhenFree() : reload()), 800);
    };
    void import('../../api/stream').then(({ followEvents }) =>
      followEvents('/api/tasks/changes?maxSeconds=600', controller.signal, () => {
        clearTimeout(pending);
        reloadWhenFree();
      }),
    );
    return () => {
      clearTimeout(pending);
      controller.abort();
    };
  }, [reload]);

  const rows = useMemo(() => {
    const data = inbox.data;
    if (!data) return [];
    const today = dayOf(Date.now(), settings);
    return data.tasks.filter((task) => {
      const process = data.processes.get(task.processId);
      if (definition && process?.definitionKey !== definition) return false;
      if (project && process?.projectId !== project) return false;
      if (flags.includes('overdue') && !(new Date(task.dueAt).getTime() < Date.now())) return false;
      if (flags.includes('escalated') && task.escalationLevel === 0) return false;
      if (flags.includes('dueToday') && dayOf(task.dueAt, settings) !== today) return false;
      return true;
    });
  }, [inbox.data, definition, project, flags, settings]);

  const definitions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const p of inbox.data?.processes.values() ?? []) seen.set(p.definitionKey, localText(p.title, language));
    return [...seen.entries()].map(([value, label]) => ({ value, label }));
  }, [inbox.data, language]);

  const processTitle = (task: Task) => text(inbox.data?.processes.get(task.processId)?.title) || task.processId;
  const actions = (task: Task, compact: boolean) => (
    <TaskActions task={task} people={inbox.data?.people ?? []} roles={ROLE_KEYS} onDone={inbox.reload} compact={compact} onBusy={onBusy} />
  );
  const assignee = (task: Task) => {
    if (task.delegateUserId === me?.id) return t('task.delegated');
    if (task.assigneeUserId === me?.id) return t('task.claimedByMe');
    const person = inbox.data?.people.find((p) => p.id === task.assigneeUserId);
    return person ? person.displayName : role(task.assigneeRole);
  };

  return (
    <>
      <PageTitle
        title={`${t('task.mine')}${inbox.data ? ` (${rows.length})` : ''}`}
        extra={<Button icon={<ReloadOutlined />} onClick={inbox.reload} aria-label={t('common.refresh')} />}
      />
      <LoadError error={inbox.error} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          id="tasks-filter-process"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('task.filters.process')}
          placeholder={t('task.filters.process')}
          style={{ width: 200 }}
          value={definition}
          onChange={setDefinition}
          options={definitions}
        />
        <Select
          allowClear
          aria-label={t('task.filters.project')}
          placeholder={t('task.filters.project')}
          style={{ width: 160 }}
          value={project}
          onChange={setProject}
          options={(inbox.data?.projects ?? []).map((p) => ({ value: p.id, label: p.name }))}
        />
        <Checkbox.Group
          value={flags}
          onChange={(v) => setFlags(v)}
          options={[
            { value: 'overdue', label: t('task.filters.overdue') },
            { value: 'escalated', label: t('task.filters.escalated') },
            { value: 'dueToday', label: t('task.filters.dueToday') },
          ]}
        />
      </Space>
      <ResponsiveTable<Task>
        rowKey="id"
        loading={inbox.loading}
        dataSource={rows}
        empty={t('task.nothing')}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        cardTitle={(task) => <a href={href(`/tasks/${task.id}`)}>{text(task.title)}</a>}
        card={(task) => (
          <Space direction="vertical" size={8} style={{ width: '100%' }}>
            <Muted style={{ overflowWrap: 'anywhere' }}>{processTitle(task)}</Muted>
            <DueCell task={task} />
            <span>
              {t('task.assignee')}: {assignee(task)}
            </span>
            {actions(task, true)}
          </Space>
        )}
        columns={[
          {
            title: t('task.title'),
            dataIndex: 'title',
            sorter: (a, b) => text(a.title).localeCompare(text(b.title)),
            render: (_, task) => <a href={href(`/tasks/${task.id}`)}>{text(task.title)}</a>,
          },
          {
            title: t('task.process'),
            key: 'process',
            sorter: (a, b) => processTitle(a).localeCompare(processTitle(b)),
            render: (_, task) => (
              <a href={href(`/processes/${encodeURIComponent(task.processId)}`)}>
                {processTitle(task)}
                <Muted block style={{ fontSize: 12 }}>
                  {task.processId.split(':').slice(1).join(':').slice(0, 24)}
                </Muted>
              </a>
            ),
          },
          {
            title: t('task.due'),
            dataIndex: 'dueAt',
            defaultSortOrder: 'ascend',
            sorter: (a, b) => a.dueAt.localeCompare(b.dueAt),
            render: (_, task) => <DueCell task={task} />,
          },
          { title: t('task.assignee'), key: 'assignee', render: (_, task) => assignee(task) },
          { title: t('common.actions'), key: 'actions', render: (_, task) => actions(task, true) },
        ]}
      />
    </>
  );
}
