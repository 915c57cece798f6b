import { Card, Empty, Tag, Timeline, Typography } from 'antd';
import { api } from '../../api/client';
import type { Person, ProcessDefinition, ProcessDetail, Task } from '../../api/types';
import { useApi } from '../../api/use-api';
import { RecordData } from '../../components/record-data';
import { formatDateTime } from '../../format';
import { useLabels } from '../../i18n/labels';
import { useSession } from '../../session';

/**
 * What a task is about, above its form: the document the process was started with
 * (the overall plan, the case, the phase's figures) laid out by its definition's own
 * labels — phases as a table, the team by name, money as money — what the step
 * carries from earlier steps (`context`), and the earlier rounds of the same step:
 * who decided what, with what comment, and what the revision changed. A GM approving
 * the plan reads the plan here instead of hunting for it on the process page.
 */
export function TaskSubject({ task, process, people }: { task: Task; process: ProcessDetail | null; people: Person[] }) {
  const { t, text, outcome, language } = useLabels();
  const { settings } = useSession();
  const definition = useApi(process ? ['/api/definitions', process.definitionKey, process.definitionVersion] : null, () =>
    api.get<ProcessDefinition>(`/api/definitions/${encodeURIComponent(process!.definitionKey)}`, { version: process!.definitionVersion }),
  );
  const input = process?.input ?? {};
  const hasInput = Object.keys(input).length > 0;
  const hasContext = task.context !== null && task.context !== undefined && Object.keys(task.context).length > 0;
  // Earlier rounds of this step: decisions sent back and the revisions that answered them.
  const rounds = (process?.tasks.finished ?? [])
    .filter((f) => f.stepId === task.stepId && f.id !== task.id && f.status === 'completed')
    .sort((a, b) => (a.completedAt ?? '').localeCompare(b.completedAt ?? ''));
  if (!hasInput && !hasContext && rounds.length === 0) return null;
  const nameOf = (id: string | null | undefined) => people.find((p) => p.id === id)?.displayName;
  return (
    <Card title={t('task.subject')} size="small" style={{ marginBottom: 16 }} data-testid="task-subject">
      {hasInput && (
        <>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {process ? text(process.title) : ''}
          </Typography.Title>
          <RecordData fields={definition.data?.input ?? []} data={input} people={people} />
        </>
      )}
      {hasContext && (
        <>
          <Typography.Title level={5}>{t('task.context')}</Typography.Title>
          <RecordData fields={[]} data={task.context!} people={people} />
        </>
      )}
      {rounds.length > 0 && (
        <>
          <Typography.Title level={5}>{t('task.earlierRounds')}</Typography.Title>
          <Timeline
            items={rounds.map((r) => ({
              key: r.id,
              content: (
                <>
                  <Typography.Text strong>{text(r.title)}</Typography.Text> {r.outcome && <Tag>{outcome(r.outcome)}</Tag>}
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    {formatDateTime(r.completedAt, settings, language)}
                    {nameOf(r.completedById) ? ` · ${nameOf(r.completedById)}` : ''}
                  </Typography.Text>
                  {r.data && Object.keys(r.data).length > 0 ? (
                    <RecordData fields={r.form ?? []} data={r.data} people={people} />
                  ) : (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} />
                  )}
                </>
              ),
            }))}
          />
        </>
      )}
    </Card>
  );
}
