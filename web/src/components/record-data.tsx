import { Descriptions, Grid, Table, Typography } from 'antd';
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

/**
 * A submitted document's data, labelled by the form that produced it (or humanised
 * keys when none), in the form's order. People appear by name when `people` knows
 * them (a team is a list of user ids); long texts fold; on a phone each label stands
 * over its value, so a plan reads full width.
 */
export function RecordData({
  fields,
  data,
  people = [],
}: {
  fields: FieldSpec[];
  data: Record<string, unknown>;
  people?: readonly { id: string; displayName: string }[];
}) {
  const show = useFieldValue();
  const screens = Grid.useBreakpoint();
  const { t } = useLabels();
  const byName = new Map(fields.map((f) => [f.name, f]));
  const nameOf = new Map(people.map((p) => [p.id, p.displayName]));
  const named = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(named) : typeof value === 'string' && nameOf.has(value) ? nameOf.get(value) : value;
  const order = (key: string) => {
    const i = fields.findIndex((f) => f.name === key);
    return i < 0 ? fields.length : i;
  };
  const entries = Object.entries(data).sort(([a], [b]) => order(a) - order(b));
  const items = entries.map(([key, raw]) => {
    const value = named(raw);
    const field = byName.get(key);
    const text = field?.type === 'list' && field.of?.length ? null : show(field, value);
    const children =
      field?.type === 'list' && field.of?.length && Array.isArray(value) ? (
        // On a phone the table scrolls inside the screen, never the page (the card's padding kept clear).
        <div style={{ maxWidth: screens.md ? '100%' : 'calc(100vw - 72px)', overflowX: 'auto' }}>
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
        </div>
      ) : text && text.length > 160 ? (
        <Typography.Paragraph
          style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}
          ellipsis={{ rows: 4, expandable: 'collapsible', symbol: (expanded: boolean) => t(expanded ? 'common.less' : 'common.more') }}
        >
          {text}
        </Typography.Paragraph>
      ) : (
        <span style={{ whiteSpace: 'pre-wrap' }}>{text}</span>
      );
    return { key, label: field ? fieldLabel(field) : humanise(key), children };
  });
  return <Descriptions size="small" column={1} layout={screens.md ? 'horizontal' : 'vertical'} items={items} />;
}
