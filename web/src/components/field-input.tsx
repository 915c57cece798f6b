import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { errorText } from '../api/error-text';
import { Button, DatePicker, Form, Input, InputNumber, Select, Switch, Table, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import type { FieldSpec, Settings, Unit } from '../api/types';
import { formatMoney } from '../format';
import { i18n } from '../i18n';
import { labelOf, localized } from '../i18n/labels';
import { useSession } from '../session';

/** Form values as antd holds them, keyed by field name. */
export type FormValues = Record<string, unknown>;

/** The label of a field: as the definition gives it (definitions get bilingual titles later). */
/**
 * A field's label in the user's language: a bilingual label (`中文 English`) gives its
 * part; an English-only label of a definition is named from the catalogue of field
 * names (`fieldNames.<name>`) on a Chinese screen; a field without a label, by its name.
 */
export const fieldLabel = (field: FieldSpec): string => {
  if (!field.label) return labelOf('field.name', field.name);
  const local = localized(field.label);
  if (local !== field.label || i18n.language === 'en' || /[\u3400-\u9fff]/.test(field.label)) return local;
  return i18n.exists(`fieldNames.${field.name}`) ? i18n.t(`fieldNames.${field.name}`) : field.label;
};

/** What rendering a control needs besides the field. */
interface ControlEnv {
  t: TFunction;
  language: string;
  settings: Settings | null;
  units: Unit[];
}

/**
 * One antd control for one field type. A plain function, not a component: Form.Item
 * gives its direct child the value and onChange, so the child must be the control.
 */
function control(field: FieldSpec, { t, language, settings, units }: ControlEnv, id?: string): ReactNode {
  switch (field.type) {
    case 'text':
      return <Input.TextArea id={id} rows={3} maxLength={field.max} />;
    case 'number':
      return <InputNumber id={id} style={{ width: '100%' }} min={field.min} max={field.max} />;
    case 'integer':
      return <InputNumber id={id} style={{ width: '100%' }} min={field.min} max={field.max} precision={0} />;
    case 'money':
      return (
        <InputNumber
          id={id}
          style={{ width: '100%' }}
          min={field.min ?? 0}
          max={field.max}
          precision={2}
          prefix={settings?.currencySymbol ?? '¥'}
        />
      );
    case 'boolean':
      return <Switch id={id} checkedChildren={t('field.boolean.true')} unCheckedChildren={t('field.boolean.false')} />;
    case 'date':
      return <DatePicker id={id} style={{ width: '100%' }} />;
    case 'datetime':
      return <DatePicker id={id} style={{ width: '100%' }} showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />;
    case 'enum':
      return (
        <Select
          id={id}
          allowClear
          placeholder={t('common.select')}
          options={(field.options ?? []).map((o) => ({ value: o, label: labelOf('option', o) }))}
        />
      );
    case 'unit':
      return (
        <Select
          id={id}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('common.select')}
          options={units.map((u) => ({
            value: u.id,
            label: t('task.unitOption', {
              building: u.building,
              unitNo: u.unitNo,
              layout: u.layout,
              area: u.area,
              price: formatMoney(u.listPrice, settings, language),
            }),
          }))}
        />
      );
    case 'list':
      return <Select id={id} mode="tags" open={false} suffixIcon={null} placeholder={t('common.add')} tokenSeparators={[',', '，']} />;
    default:
      return <Input id={id} maxLength={field.max} />;
  }
}

/** A list of objects: an editable table, one row per item, one column per sub-field. */
function ObjectList({ field, env }: { field: FieldSpec; env: ControlEnv }) {
  const { t } = env;
  const of = field.of ?? [];
  return (
    <Form.List name={field.name}>
      {(rows, { add, remove }) => (
        <div style={{ overflowX: 'auto' }}>
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={rows}
            locale={{ emptyText: t('field.listEmpty') }}
            columns={[
              ...of.map((sub) => ({
                title: fieldLabel(sub),
                key: sub.name,
                render: (_: unknown, row: { name: number }) => (
                  <Form.Item name={[row.name, sub.name]} valuePropName={sub.type === 'boolean' ? 'checked' : 'value'} noStyle>
                    {control(sub, env)}
                  </Form.Item>
                ),
              })),
              {
                title: t('common.actions'),
                key: 'remove',
                width: 64,
                render: (_: unknown, row: { name: number }) => (
                  <Button type="text" danger aria-label={t('common.remove')} icon={<DeleteOutlined />} onClick={() => remove(row.name)} />
                ),
              },
            ]}
          />
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} style={{ marginTop: 8 }}>
            {t('task.addRow')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

/**
 * The form items of `fields`, each with the control its type calls for. Required
 * fields are marked; the API decides what is valid and its 400 names the field,
 * which `applyApiErrors` shows beside it.
 */
export function FormFields({
  fields,
  units = [],
  pickers = {},
}: {
  fields: FieldSpec[];
  units?: Unit[];
  /** Fields whose values are picked from a list the page knows (the project's people for `team`): by field name. */
  pickers?: Record<string, { value: string; label: string }[]>;
}) {
  const { t, i18n: current } = useTranslation();
  const { settings } = useSession();
  const env: ControlEnv = { t, language: current.language, settings, units };
  return (
    <>
      {fields.map((field) =>
        pickers[field.name] ? (
          <Form.Item key={field.name} name={field.name} label={fieldLabel(field)} required={field.required}>
            <Select
              mode={field.type === 'list' ? 'multiple' : undefined}
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('common.select')}
              options={pickers[field.name]}
            />
          </Form.Item>
        ) : field.type === 'list' && field.of?.length ? (
          <Form.Item key={field.name} label={fieldLabel(field)} required={field.required}>
            <ObjectList field={field} env={env} />
          </Form.Item>
        ) : (
          <Form.Item
            key={field.name}
            name={field.name}
            label={fieldLabel(field)}
            required={field.required}
            valuePropName={field.type === 'boolean' ? 'checked' : 'value'}
          >
            {control(field, env)}
          </Form.Item>
        ),
      )}
    </>
  );
}

/** Converts one value from its control to what the API expects. */
function toApiValue(field: FieldSpec, value: unknown): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  if (dayjs.isDayjs(value)) return field.type === 'date' ? (value as Dayjs).format('YYYY-MM-DD') : (value as Dayjs).toISOString();
  if (field.type === 'list' && field.of?.length && Array.isArray(value)) {
    return value.map((item) => toApiData(field.of!, (item ?? {}) as FormValues));
  }
  if (field.type === 'list' && Array.isArray(value) && value.length === 0) return undefined;
  return value;
}

/** The form's values as the API's data: dates as ISO strings, empty optional fields left out. */
export function toApiData(fields: FieldSpec[], values: FormValues): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const value = toApiValue(field, values[field.name]);
    if (value !== undefined) data[field.name] = value;
    else if (field.type === 'boolean' && field.required) data[field.name] = false;
  }
  return data;
}

/** A reason of the API in the user's language where it is a common one; the API's own text otherwise. */
function reasonText(reason: string, t: (key: string) => string): string {
  if (/expected one of|invalid option/i.test(reason)) return t('validation.option');
  if (/received undefined|required/i.test(reason)) return t('validation.required');
  if (/too small|too big|at least|at most|expected number|expected string|expected boolean|invalid/i.test(reason))
    return `${t('validation.invalid')} (${reason})`;
  return reason;
}

/**
 * Shows a 400's details beside their fields (`body.data.amount` → `amount`); what
 * matches no field is returned for the page to show above the form.
 */
export function applyApiErrors(
  form: FormInstance,
  error: ApiError,
  prefix: string,
  fields: FieldSpec[],
  t: (key: string) => string,
): string[] {
  const names = new Set(fields.map((f) => f.name));
  const general: string[] = [];
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const detail of error.details) {
    const path = detail.field.startsWith(prefix) ? detail.field.slice(prefix.length) : detail.field;
    const name = path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const text = reasonText(detail.reason, t);
    if (typeof name[0] === 'string' && names.has(name[0])) {
      const key = name.join('.');
      const entry = byField.get(key) ?? { name, errors: [] };
      entry.errors.push(text);
      byField.set(key, entry);
    } else general.push(`${detail.field}: ${text}`);
  }
  form.setFields([...byField.values()]);
  if (!error.details.length) general.push(errorText(error));
  return general;
}
