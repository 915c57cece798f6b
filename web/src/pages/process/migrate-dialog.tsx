import { Alert, Empty, Form, List, Modal, Select, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, newIdempotencyKey } from '../../api/client';
import { errorText } from '../../api/error-text';
import type { DefinitionSummary, ProcessDefinition, ProcessDetail, Step } from '../../api/types';
import { useMessage } from '../../feedback';
import { useLabels } from '../../i18n/labels';
import { walkSteps } from '../../../../definitions/walk';

/** What the API answers for a dry run or an applied migration. */
interface MigrationAnswer {
  applicable: boolean;
  problems: { field: string; message: string }[];
  moved: { taskId: string; title: string; fromKey: string; toKey: string }[];
  withdrawn: { taskId: string; title: string; key: string; reason: 'step-removed' | 'approval-restarts' }[];
  restarted: string[];
  skipped: string[];
  starts: string[];
}

const REMOVE = '\u0000remove';
const ACTIVE = new Set(['running', 'waiting', 'failed']);
const BLOCKS = new Set(['sequence', 'parallel', 'loop', 'decision']);

/**
 * Moves a running instance to a newer version of its definition. The person picks
 * the version and, for each step the instance is in, the step of the new version
 * it continues at (or none); the preview (a dry run) says what moves, what is
 * withdrawn, what is passed over and what begins, and what stops it. Only a
 * preview that applies can be applied; the engine checks again when it applies.
 */
export function MigrateDialog({
  process,
  definition,
  onClose,
  onDone,
}: {
  process: ProcessDetail;
  definition: ProcessDefinition;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, text, stepKind } = useLabels();
  const message = useMessage();
  const [versions, setVersions] = useState<number[] | null>(null);
  const [version, setVersion] = useState<number>();
  const [target, setTarget] = useState<ProcessDefinition | null>(null);
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<MigrationAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per opening: a repeated click applies the migration once.
  const key = useMemo(() => newIdempotencyKey(), []);

  useEffect(() => {
    void api
      .get<DefinitionSummary[]>('/api/definitions')
      .then((all) => {
        const newer = (all.find((d) => d.key === process.definitionKey)?.versions ?? [])
          .map((v) => v.version)
          .filter((v) => v > process.definitionVersion)
          .sort((a, b) => b - a);
        setVersions(newer);
        setVersion(newer[0]);
      })
      .catch((err: unknown) => setError(errorText(err)));
  }, [process.definitionKey, process.definitionVersion]);

  useEffect(() => {
    if (version === undefined) return;
    setTarget(null);
    setPreview(null);
    void api
      .get<ProcessDefinition>(`/api/definitions/${encodeURIComponent(process.definitionKey)}`, { version })
      .then(setTarget)
      .catch((err: unknown) => setError(errorText(err)));
  }, [process.definitionKey, version]);

  const oldSteps = useMemo(() => new Map(walkSteps(definition.root).map(({ step }) => [step.id, step])), [definition]);
  const newSteps = useMemo(() => (target ? walkSteps(target.root).map(({ step }) => step) : []), [target]);
  // The steps the instance is in, by id (a loop's iterations share one): where it
  // waits (tasks, approvals, timers, events), and any block the new version lacks.
  // Blocks the new version keeps under their id need no choice.
  const active = useMemo(
    () =>
      [
        ...new Set(
          Object.entries(process.steps ?? {})
            .filter(([, s]) => ACTIVE.has(s))
            .map(([k]) => k.split('/').pop()!),
        ),
      ].filter((id) => !BLOCKS.has(oldSteps.get(id)?.kind ?? '') || !newSteps.some((s) => s.id === id)),
    [process.steps, oldSteps, newSteps],
  );
  const mapping = useMemo(() => {
    const out: Record<string, string | null> = {};
    for (const [id, choice] of Object.entries(choices)) out[id] = choice === REMOVE ? null : choice;
    return out;
  }, [choices]);
  const label = (step: Step | undefined, id: string) =>
    step && 'title' in step && typeof step.title === 'string' ? `${text(step.title)} (${id})` : `${stepKind(step?.kind)} · ${id}`;

  /** A step key of the new version as a person reads it: its step's title, with the key. */
  const keyLabel = (stepKey: string) => {
    const id = stepKey.split('/').pop()!;
    return label(
      newSteps.find((s) => s.id === id),
      stepKey,
    );
  };

  const send = async (dryRun: boolean) => {
    if (version === undefined) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<MigrationAnswer>(
        `/api/processes/${encodeURIComponent(process.id)}/migrate`,
        { version, mapping, dryRun },
        dryRun ? undefined : key,
      );
      if (dryRun) setPreview(answer);
      else {
        message.success(t('migration.migrated', { version }));
        onDone();
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const section = (title: string, items: string[]) =>
    items.length > 0 && (
      <List
        size="small"
        header={<Typography.Text strong>{title}</Typography.Text>}
        dataSource={items}
        renderItem={(i) => <List.Item>{i}</List.Item>}
      />
    );

  return (
    <Modal
      open
      width={720}
      title={t('migration.migrate')}
      okText={preview?.applicable ? t('migration.apply') : t('migration.preview')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: !target }}
      onCancel={onClose}
      onOk={() => void send(!preview?.applicable)}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {versions === null ? (
        <Spin />
      ) : versions.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('migration.noNewer')} />
      ) : (
        <Form layout="vertical" name="migrate-form">
          <Typography.Paragraph type="secondary">{t('migration.help')}</Typography.Paragraph>
          <Form.Item label={t('migration.version')} htmlFor="migrate-version">
            <Select
              id="migrate-version"
              value={version}
              onChange={setVersion}
              options={versions.map((v) => ({ value: v, label: t('migration.versionN', { version: v }) }))}
            />
          </Form.Item>
          {target &&
            active.map((id) => {
              const old = oldSteps.get(id);
              const same = newSteps.find((s) => s.id === id);
              return (
                <Form.Item key={id} label={t('migration.step', { step: label(old, id) })} htmlFor={`migrate-${id}`}>
                  <Select
                    id={`migrate-${id}`}
                    value={choices[id] ?? (same ? id : undefined)}
                    placeholder={t('migration.choose')}
                    onChange={(v: string) => (setChoices({ ...choices, [id]: v }), setPreview(null))}
                    options={[
                      ...newSteps.filter((s) => s.kind === old?.kind).map((s) => ({ value: s.id, label: label(s, s.id) })),
                      { value: REMOVE, label: t('migration.remove') },
                    ]}
                  />
                </Form.Item>
              );
            })}
        </Form>
      )}
      {preview && (
        <div data-testid="migration-preview">
          {preview.problems.length > 0 ? (
            <Alert type="error" showIcon title={t('migration.problems')} description={preview.problems.map((p) => p.message).join('；')} />
          ) : (
            <Alert type="success" showIcon title={t('migration.ready', { version })} />
          )}
          {section(
            t('migration.moved'),
            preview.moved.map((m) => `${text(m.title)}: ${m.fromKey} → ${m.toKey}`),
          )}
          {section(
            t('migration.withdrawn'),
            preview.withdrawn.map((w) => `${text(w.title)} (${t(`migration.reason.${w.reason}`)})`),
          )}
          {section(t('migration.skipped'), preview.skipped.map(keyLabel))}
          {section(t('migration.starts'), [...preview.starts, ...preview.restarted].map(keyLabel))}
        </div>
      )}
    </Modal>
  );
}
