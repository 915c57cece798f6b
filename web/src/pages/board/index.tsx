import { Card, Col, Row, Select, Space, Spin, Table, Tag } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { api } from '../../api/client';
import { loadPeople, loadProjects } from '../../api/shared';
import { invalidate, usePagedList } from '../../api/queries';
import { TaskActions } from '../tasks/task-actions';
import { ROLE_KEYS } from '../../vocabulary';
import { Muted } from '../../components/text';
import { PagedTable } from '../../components/paged-table';
import type { Board, BoardGroup, Task } from '../../api/types';
import { useApi } from '../../api/use-api';
import { DueCell, LoadError, PageTitle } from '../../components/common';
import { useLabels } from '../../i18n/labels';
import { href } from '../../router';
import type { PageProps } from '../../routes';
import { boardChartOption } from './chart-option';

// ECharts is large: it loads only with this page, and only when there is something to draw.
const EChart = lazy(() => import('../../components/echart'));

/** Open, overdue and escalated work by role, person and project, in the user's projects. */
export default function BoardPage(_props: PageProps) {
  const { t, role, text } = useLabels();
  const [projectId, setProjectId] = useState<string>();
  const projects = useApi(['/api/projects'], loadProjects);
  const board = useApi(['/api/board', projectId], () => api.get<Board>('/api/board', { projectId }));
  // The overdue work itself, oldest first: what the supervisor chases every morning.
  const overdueFilters = { overdue: true, projectId };
  const overdue = usePagedList<Task>('/api/tasks', overdueFilters, { pageSize: 20 });
  const people = useMemo(() => new Map((board.data?.people ?? []).map((p) => [p.id, p.displayName])), [board.data]);
  // The colleagues a task can go to, and the actions the API allows on it (reassign, extend…).
  const colleagues = useApi(['/api/people', projectId], () => loadPeople(projectId));
  const actions = (task: Task) => (
    <TaskActions
      task={task}
      people={colleagues.data ?? []}
      roles={ROLE_KEYS}
      onDone={() => void invalidate('/api/tasks', '/api/board')}
      compact
    />
  );
  const projectName = (id: string) => projects.data?.find((p) => p.id === id)?.name ?? id;
  const option = useMemo(
    () =>
      boardChartOption(board.data?.byRole ?? [], {
        open: t('board.open'),
        overdue: t('board.overdue'),
        escalated: t('board.escalated'),
        name: role,
      }),
    [board.data, t, role],
  );

  const table = (title: string, rows: BoardGroup[], name: (key: string) => string) => (
    <Card size="small" title={title}>
      <Table<BoardGroup>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: t('common.empty') }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title, dataIndex: 'key', render: (k: string) => name(k) },
          { title: t('board.open'), dataIndex: 'open', sorter: (a, b) => a.open - b.open },
          {
            title: t('board.overdue'),
            dataIndex: 'overdue',
            sorter: (a, b) => a.overdue - b.overdue,
            render: (n: number) => (n ? <Tag color="red">{n}</Tag> : n),
          },
          {
            title: t('board.escalated'),
            dataIndex: 'escalated',
            sorter: (a, b) => a.escalated - b.escalated,
            render: (n: number) =>
              n ? (
                <Tag color="orange" style={{ color: '#873800' }}>
                  {n}
                </Tag>
              ) : (
                n
              ),
          },
        ]}
      />
    </Card>
  );

  return (
    <>
      <PageTitle
        title={t('board.title')}
        extra={
          <Select
            id="board-project"
            allowClear
            aria-label={t('common.project')}
            placeholder={t('common.project')}
            style={{ width: 180 }}
            value={projectId}
            onChange={setProjectId}
            options={(projects.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          />
        }
      />
      <LoadError error={board.error} />
      {board.data && (
        <Row gutter={[16, 16]}>
          <Col xs={24}>
            <Card size="small" title={t('board.chart')}>
              {board.data.byRole.length ? (
                <Suspense fallback={<Spin />}>
                  <EChart option={option} height={Math.max(160, 48 * board.data.byRole.length + 48)} />
                </Suspense>
              ) : (
                t('common.empty')
              )}
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            {table(t('board.byRole'), board.data.byRole, role)}
          </Col>
          <Col xs={24} lg={12}>
            {table(t('board.byPerson'), board.data.byPerson, (k) => (k ? (people.get(k) ?? k) : t('board.unassigned')))}
          </Col>
          <Col xs={24}>{table(t('board.byProject'), board.data.byProject, projectName)}</Col>
          <Col xs={24}>
            <Card size="small" title={t('board.oldestOverdue')} data-testid="overdue-tasks">
              <PagedTable<Task>
                filters={overdueFilters}
                query={overdue}
                rowKey="id"
                size="small"
                cardTitle={(task) => <a href={href(`/tasks/${task.id}`)}>{text(task.title)}</a>}
                card={(task) => (
                  <Space direction="vertical" size={2}>
                    <Muted>{text(task.processTitle)}</Muted>
                    <span>
                      {role(task.assigneeRole)}
                      {task.assigneeUserId ? ` · ${people.get(task.assigneeUserId) ?? ''}` : ''}
                    </span>
                    <DueCell task={task} />
                    {actions(task)}
                  </Space>
                )}
                columns={[
                  {
                    title: t('task.title'),
                    key: 'title',
                    // What for: the process it belongs to (two follow-ups look alike until you see whose).
                    render: (_, task) => (
                      <>
                        <a href={href(`/tasks/${task.id}`)}>{text(task.title)}</a>
                        <Muted block style={{ fontSize: 12 }}>
                          {text(task.processTitle)}
                        </Muted>
                      </>
                    ),
                  },
                  { title: t('task.assigneeRole'), dataIndex: 'assigneeRole', render: (r: string) => role(r) },
                  {
                    title: t('board.person'),
                    dataIndex: 'assigneeUserId',
                    render: (id: string | null) => (id ? (people.get(id) ?? '') : t('board.unassigned')),
                  },
                  { title: t('task.due'), key: 'due', render: (_, task) => <DueCell task={task} /> },
                  // The supervisor reassigns or extends it here, without opening the process.
                  { title: t('common.actions'), key: 'actions', render: (_, task) => actions(task) },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
      {board.loading && !board.data && <Card loading />}
    </>
  );
}
