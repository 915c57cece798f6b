import { Typography } from 'antd';
import { formatDateTime } from '../../format';
import { i18n } from '../../i18n';
import { labelOf, useLabels } from '../../i18n/labels';
import { useSession } from '../../session';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
// Ids and the engine's own bookkeeping say nothing to a reader of the process page.
const HIDDEN = /(^|[a-z])(Id|Ids)$|^\$|^userId$|^id$/;

/**
 * A process variable as a person reads it: nested values as indented "name: value"
 * lines with the field names' labels, option keys by name, instants in the working
 * calendar's time zone, ids left out — instead of JSON.
 */
export function ReadableValue({ value, depth = 0 }: { value: unknown; depth?: number }) {
  const { t, option, language } = useLabels();
  const { settings } = useSession();
  if (value === null || value === undefined || value === '') return <Typography.Text type="secondary">—</Typography.Text>;
  if (typeof value === 'boolean') return <span>{value ? t('common.yes') : t('common.no')}</span>;
  if (typeof value === 'number') return <span>{value.toLocaleString(language)}</span>;
  if (typeof value === 'string') {
    if (ISO_INSTANT.test(value)) return <span>{formatDateTime(value, settings, language)}</span>;
    // An option key by its name (`not-yet` → 暂不购买); any other text as it is.
    return <span style={{ overflowWrap: 'anywhere' }}>{i18n.exists(`option.${value}`) ? option(value) : value}</span>;
  }
  if (depth > 3) return <span>…</span>;
  if (Array.isArray(value))
    return (
      <div>
        {value.map((item, i) => (
          <div key={i} style={{ paddingLeft: depth ? 12 : 0 }}>
            {value.length > 1 ? `${i + 1}. ` : ''}
            <ReadableValue value={item} depth={depth + 1} />
          </div>
        ))}
      </div>
    );
  const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => !HIDDEN.test(k));
  return (
    <div style={{ paddingLeft: depth ? 12 : 0 }}>
      {entries.map(([k, v]) => (
        <div key={k}>
          <Typography.Text type="secondary">
            {labelOf('fieldNames', k)}
            {language === 'en' ? ': ' : '：'}
          </Typography.Text>
          <ReadableValue value={v} depth={depth + 1} />
        </div>
      ))}
    </div>
  );
}
