import { ReloadOutlined } from '@ant-design/icons';
import { Button, Checkbox, Select, Space } from 'antd';
import { useCallback, useEffect, useRef } from 'react';
import { api } from '../../api/client';
import { invalidate, usePagedList } from '../../api/queries';
import { loadPeople } from '../../api/shared';
import type { DefinitionSummary, Project, Task } from '../../api/types';
import { useApi } from '../../api/use-api';
import { DueCell, LoadError, PageTitle } from '../../components/common';
import { PagedTable } from '../../components/paged-table';
import { definitionOptions } from '../../components/definition-options';
import { dayOf, dayStart, nextDay } from '../../format';
import { useLabels } from '../../i18n/labels';
import { href, setQueryParams } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';
import { TaskActions } from './task-actions';
import { Muted } from '../../components/text';
import { ROLE_KEYS } from '../../vocabulary';

/** The open tasks the user may act on, a page at a time, with filters on the server and the actions the API allows. */
export default function TasksPage({ query }: PageProps) {
  const { t, role, text } = useLabels();
  const { me, settings } = useSession();
  // The filters live in the address: a filtered list survives a reload and can be shared.
  const definition = query.definition;
  const project = query.projectId;
  const flags = (query.flags ?? '').split(',').filter(Boolean);
  const today = dayOf(Date.now(), settings);
  // Sorted on the server: by due time, soonest (default) or latest first.
  const sort = query.sort === 'dueDesc' ? 'dueDesc' : undefined;
  const filters = {
    mine: true,
    definition,
    projectId: project,
    overdue: flags.includes('overdue') || undefined,
    escalated: flags.includes('escalated') || undefined,
    // Today in the office's time zone, whatever the browser's.
    dueFrom: flags.includes('dueToday') ? dayStart(today, settings) : undefined,
    dueTo: flags.includes('dueToday') ? dayStart(nextDay(today), settings) : undefined,
    sort,
  };
  const tasks = usePagedList<Task>('/api/tasks', filters);
  const total = tasks.data?.pages[0]?.total;
  // What the list is shown with seldom changes: the definitions, the projects, the people.
  const context = useApi(['/api/definitions', 'with-projects-and-people'], () =>
    Promise.all([
      api.get<DefinitionSummary[]>('/api/definitions').catch(() => []),
      api.get<Project[]>('/api/projects'),
      loadPeople().catch(() => []),
    ]),
  );
  const [definitions, projects, people] = context.data ?? [[], [], []];
  const reload = useCallback(() => void invalidate('/api/tasks'), []);

  // Live: a task of the caller's projects opened, moved or closed somewhere reloads the
  // list (a burst of changes once), but not under a dialog the user is filling in or an
  // action on its way: then it waits until they are done. The stream reader loads after the first paint.
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

  const processTitle = (task: Task) => text(task.processTitle) || task.processId;
  const actions = (task: Task, compact: boolean) => (
    <TaskActions task={task} people={people} roles={ROLE_KEYS} onDone={reload} compact={compact} onBusy={onBusy} />
  );
  const assignee = (task: Task) => {
    if (task.delegateUserId === me?.id) return t('task.delegated');
    if (task.assigneeUserId === me?.id) return t('task.claimedByMe');
    const person = people.find((p) => p.id === task.assigneeUserId);
    return person ? person.displayName : role(task.assigneeRole);
  };

  return (
    <>
      <PageTitle
        title={`${t('task.mine')}${total === undefined ? '' : ` (${total})`}`}
        extra={<Button icon={<ReloadOutlined />} onClick={reload} aria-label={t('common.refresh')} />}
      />
      <LoadError error={tasks.error ?? context.error} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          id="tasks-filter-process"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('task.filters.process')}
          placeholder={t('task.filters.process')}
          style={{ width: 200 }}
          value={definition}
          onChange={(v?: string) => setQueryParams({ definition: v })}
          options={definitionOptions(definitions, text)}
        />
        <Select
          allowClear
          aria-label={t('task.filters.project')}
          placeholder={t('task.filters.project')}
          style={{ width: 160 }}
          value={project}
          onChange={(v?: string) => setQueryParams({ projectId: v })}
          options={projects.map((p) => ({ value: p.id, label: p.name }))}
        />
        <Checkbox.Group
          value={flags}
          onChange={(v) => setQueryParams({ flags: v.join(',') || undefined })}
          options={[
            { value: 'overdue', label: t('task.filters.overdue') },
            { value: 'escalated', label: t('task.filters.escalated') },
            { value: 'dueToday', label: t('task.filters.dueToday') },
          ]}
        />
      </Space>
      <PagedTable<Task>
        filters={filters}
        query={tasks}
        rowKey="id"
        empty={t('task.nothing')}
        onChange={(_pagination, _filters, sorter) => {
          const order = Array.isArray(sorter) ? sorter[0]?.order : sorter.order;
          setQueryParams({ sort: order === 'descend' ? 'dueDesc' : undefined });
        }}
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
            render: (_, task) => <a href={href(`/tasks/${task.id}`)}>{text(task.title)}</a>,
          },
          {
            title: t('task.process'),
            key: 'process',
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
            sorter: true,
            sortOrder: sort === 'dueDesc' ? 'descend' : 'ascend',
            sortDirections: ['ascend', 'descend', 'ascend'],
            render: (_, task) => <DueCell task={task} />,
          },
          { title: t('task.assignee'), key: 'assignee', render: (_, task) => assignee(task) },
          { title: t('common.actions'), key: 'actions', render: (_, task) => actions(task, true) },
        ]}
      />
    </>
  );
}
