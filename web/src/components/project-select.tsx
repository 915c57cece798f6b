import { Select } from 'antd';
import type { Project } from '../api/types';
import { useLabels } from '../i18n/labels';

/** The project a project page shows (with {@link useProjectChoice} it is remembered across pages). */
export function ProjectSelect({
  id,
  projects,
  value,
  onChange,
  width = 160,
}: {
  /** The select's input id (tests and labels find it by it). */
  id: string;
  projects: Project[] | undefined;
  value: string | undefined;
  onChange: (id: string) => void;
  width?: number;
}) {
  const { t } = useLabels();
  return (
    <Select
      id={id}
      aria-label={t('common.project')}
      style={{ width }}
      value={value}
      onChange={onChange}
      options={(projects ?? []).map((p) => ({ value: p.id, label: p.name }))}
    />
  );
}
