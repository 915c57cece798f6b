import { Descriptions, Table } from 'antd';
import type { FieldSpec } from '../api/types';
import { formatDateTime, formatMoney } from '../format';
import { humanise, labelOf, useLabels } from '../i18n/labels';
import { useSession } from '../session';
import { fieldLabel } from './field-input';

/** One value as its field type shows it: money with the currency symbol, dates in the calendar's zone, options by name. */
export function useFieldValue() {
  const { t, language } = useLabels();
  const { settings } = useSession();
  const show = (field: FieldSpec | undefined, value: unknown): string => {
    if (value === null || value === undefined) return '';
    switch (field?.type) {
      case 'money':
        return formatMoney(value as number, settings, language);
      case 'datetime':
        return formatDateTime(String(value), settings, language);
      case 'boolean':
        return t(`field.boolean.${value ? 'true' : 'false'}`);
      case 'enum':
        return labelOf('option', String(value));
      default:
        break;
    }
    if (typeof value === 'boolean') return t(`field.boolean.${value ? 'true' : 'false'}`);
    if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join('、');
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  };
  return show;
}

/** A submitted document's data, labelled by the form that produced it (or humanised keys when none). */
export function RecordData({ fields, data }: { fields: FieldSpec[]; data: Record<string, unknown> }) {
  const show = useFieldValue();
  const byName = new Map(fields.map((f) => [f.name, f]));
  const items = Object.entries(data).map(([key, value]) => {
    const field = byName.get(key);
    const children =
      field?.type === 'list' && field.of?.length && Array.isArray(value) ? (
        <Table
          size="small"
          pagination={false}
          rowKey={(_, i) => String(i)}
          dataSource={value as Record<string, unknown>[]}
          columns={field.of.map((sub) => ({
            key: sub.name,
            title: fieldLabel(sub),
            render: (_: unknown, row: Record<string, unknown>) => show(sub, row[sub.name]),
          }))}
          scroll={{ x: 'max-content' }}
        />
      ) : (
        show(field, value)
      );
    return { key, label: field ? fieldLabel(field) : humanise(key), children };
  });
  return <Descriptions size="small" column={1} items={items} />;
}
