import { Alert, Button, Card, Col, Empty, Form, Input, Row, Select, Typography } from 'antd';
import { errorText } from '../../api/error-text';
import { useMemo, useState } from 'react';
import i18n from 'i18next';
import { api, ApiError, newIdempotencyKey } from '../../api/client';
import { loadPeople } from '../../api/shared';
import type { DefinitionSummary, ProcessDefinition, Project } from '../../api/types';
import { useApi } from '../../api/use-api';
import { LoadError, PageTitle } from '../../components/common';
import { applyApiErrors, FormFields, toApiData, type FormValues } from '../../components/field-input';
import { useMessage } from '../../feedback';
import { useLabels } from '../../i18n/labels';
import { href, navigate } from '../../router';
import type { PageProps } from '../../routes';
import { useSession } from '../../session';
import { useProjectChoice } from '../../components/project-choice';

/** Whether the user may start a definition: `processes.start` and, if it names starters, one of their roles (as the API checks). */
function mayStart(definition: ProcessDefinition, roles: string[]): boolean {
  return !definition.starters || definition.starters.some((r) => roles.includes(r));
}

/** The definitions the user may start; with a key, that definition's start form. */
export default function StartPage({ params }: PageProps) {
  return params.key ? <StartForm definitionKey={params.key} /> : <DefinitionList />;
}

/** The built-in processes people start, in the order they meet them. */
const START_ORDER = [
  'visitor-reception',
  'sales-launch',
  'two-level-approval',
  'plan-adjustment',
  'marketing-phase-plan',
  'marketing-execution',
];

function DefinitionList() {
  const { t, role, text } = useLabels();
  const { me } = useSession();
  const list = useApi(['/api/definitions', 'startable', me?.id], async () => {
    // Steps that a parent process or a page of their own starts are not offered here (the API refuses them too).
    const summaries = (await api.get<DefinitionSummary[]>('/api/definitions')).filter((d) => d.startedBy === 'api');
    const full = await Promise.all(summaries.map((d) => api.get<ProcessDefinition>(`/api/definitions/${encodeURIComponent(d.key)}`)));
    // The procedure's own first, in the order people meet them; then the rest by title.
    const rank = (key: string) => (START_ORDER.indexOf(key) + START_ORDER.length + 1) % (START_ORDER.length + 1);
    return full
      .filter((d) => mayStart(d, me?.roles ?? []))
      .sort((a, b) => rank(a.key) - rank(b.key) || text(a.title).localeCompare(text(b.title)));
  });
  return (
    <>
      <PageTitle title={t('process.pickDefinition')} />
      <LoadError error={list.error} />
      {list.loading && <Card loading />}
      {list.data?.length === 0 && <Empty description={t('common.empty')} />}
      <Row gutter={[16, 16]}>
        {(list.data ?? []).map((d) => (
          <Col key={d.key} xs={24} md={12} xl={8}>
            <Card
              title={<a href={href(`/start/${d.key}`)}>{text(d.title)}</a>}
              size="small"
              style={{ height: '100%' }}
              actions={[
                <Button key="start" type="link" onClick={() => navigate(`/start/${d.key}`)}>
                  {t('process.start')}
                </Button>,
              ]}
            >
              <Typography.Paragraph ellipsis={{ rows: 2 }}>
                {i18n.exists(`definitionDescriptions.${d.key}`) ? t(`definitionDescriptions.${d.key}`) : text(d.description)}
              </Typography.Paragraph>
              <Typography.Text type="secondary">{d.roles.map(role).join('、')}</Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}

function StartForm({ definitionKey }: { definitionKey: string }) {
  const { t, text, role } = useLabels();
  const { me } = useSession();
  const message = useMessage();
  const [form] = Form.useForm<FormValues>();
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  // One key per rendering: a double click starts one process.
  const key = useMemo(() => newIdempotencyKey(), []);
  const data = useApi(['/api/definitions', definitionKey, 'with-projects'], () =>
    Promise.all([api.get<ProcessDefinition>(`/api/definitions/${encodeURIComponent(definitionKey)}`), api.get<Project[]>('/api/projects')]),
  );
  // The project the user works in (chosen last on a project page) comes first.
  const [usualProject] = useProjectChoice(data.data?.[1]);
  // The launch's team (sales-launch's `team`: user ids) is picked from the chosen project's people, not typed.
  const projectId = Form.useWatch('projectId', form) as string | undefined;
  const wantsTeam = data.data?.[0].input.some((f) => f.name === 'team' && f.type === 'list' && !f.of?.length) ?? false;
  const people = useApi(wantsTeam && projectId ? ['/api/people', wantsTeam, projectId] : null, () => loadPeople(projectId));
  const team = wantsTeam
    ? (people.data ?? [])
        .filter((p) => p.roles.some((r) => r === 'sales_agent' || r === 'sales_supervisor'))
        .map((p) => ({ value: p.id, label: `${p.displayName}（${p.roles.map(role).join('、')}）` }))
    : null;
  if (data.error) return <LoadError error={data.error} />;
  if (!data.data) return <Card loading />;
  const [definition, projects] = data.data;
  if (!mayStart(definition, me?.roles ?? []))
    return (
      <>
        <PageTitle title={t('process.startTitle', { title: text(definition.title) })} />
        <Alert type="warning" showIcon title={t('process.cannotStart')} />
      </>
    );

  const submit = async (values: FormValues) => {
    setBusy(true);
    setErrors([]);
    try {
      const res = await api.post<{ id: string }>(
        '/api/processes',
        {
          definition: definition.key,
          projectId: values.projectId,
          ...(values.businessKey ? { businessKey: values.businessKey } : {}),
          input: toApiData(definition.input, values),
        },
        key,
      );
      // The process by its title, not its id (the page it opens shows the rest).
      message.success(t('process.started', { title: text(definition.title) }));
      navigate(`/processes/${encodeURIComponent(res.id)}`);
    } catch (err) {
      if (err instanceof ApiError) {
        const general = applyApiErrors(form, err, 'body.input.', definition.input, t);
        // The project and business key are fields of the request itself.
        form.setFields(
          err.details
            .filter((d) => d.field === 'body.projectId' || d.field === 'body.businessKey')
            .map((d) => ({ name: d.field.slice(5), errors: [d.reason] })),
        );
        setErrors(general.filter((g) => !g.startsWith('body.projectId') && !g.startsWith('body.businessKey')));
      } else setErrors([errorText(err)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle title={t('process.startTitle', { title: text(definition.title) })} />
      <Card style={{ maxWidth: 720 }}>
        {errors.length > 0 && <Alert type="error" showIcon role="alert" title={errors.join('; ')} style={{ marginBottom: 16 }} />}
        <Form
          form={form}
          layout="vertical"
          name="start-form"
          onFinish={(v) => void submit(v)}
          initialValues={{ projectId: usualProject ?? projects[0]?.id }}
        >
          <Form.Item name="projectId" label={t('common.project')} required>
            <Select options={projects.map((p) => ({ value: p.id, label: p.name }))} />
          </Form.Item>
          <FormFields fields={definition.input} pickers={team ? { team } : {}} />
          <Form.Item name="businessKey" label={t('process.businessKey')}>
            <Input maxLength={120} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('process.start')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
