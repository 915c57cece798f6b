import { DatePicker, Grid, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';

/** A range of days; either end may be open where the picker allows clearing. */
export type Period = [Dayjs | null, Dayjs | null] | null;

export interface PeriodPreset {
  label: string;
  value: [Dayjs, Dayjs];
}

// A one-month panel (288 px) opened under a picker in the middle of a phone's row
// fits neither below-left nor below-right of it; antd only flips the side, so the
// panel is also slid sideways into the screen.
const SHIFT_INTO_SCREEN = { overflow: { adjustX: 1, adjustY: 1, shiftX: true } };

/**
 * A range of days. On wide screens antd's RangePicker; on phones a "from" and a
 * "to" picker of one month each, with the presets as a select: the RangePicker
 * opens two months side by side (about 560 px) and has no one-month mode
 * (ant-design/ant-design#26758), so on a 390-px screen its right half was off the
 * screen.
 */
export function PeriodPicker({
  value,
  onChange,
  presets,
  allowClear = true,
  ariaLabel,
  id,
}: {
  value: Period;
  onChange: (value: Period) => void;
  presets?: PeriodPreset[];
  allowClear?: boolean;
  ariaLabel: string;
  /** The presets select's id on phones is `<id>-quick`. */
  id?: string;
}) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  if (screens.md)
    return (
      <DatePicker.RangePicker
        aria-label={ariaLabel}
        allowClear={allowClear}
        value={value}
        onChange={(v) => onChange(v ?? null)}
        presets={presets}
      />
    );

  const [from, to] = value ?? [null, null];
  // A "from" after the "to" (or the reverse) moves the other end with it, so the
  // range is never upside down.
  const setFrom = (day: Dayjs | null) => onChange([day, day && to && day.isAfter(to, 'day') ? day : to]);
  const setTo = (day: Dayjs | null) => onChange([day && from && day.isBefore(from, 'day') ? day : from, day]);
  const presetIndex = presets?.findIndex((p) => from?.isSame(p.value[0], 'day') && to?.isSame(p.value[1], 'day'));
  const end = (which: 'from' | 'to', day: Dayjs | null, set: (day: Dayjs | null) => void) => (
    <DatePicker
      aria-label={`${ariaLabel} ${t(`common.${which}`)}`}
      placeholder={t(`common.${which}`)}
      allowClear={allowClear}
      value={day}
      onChange={set}
      inputReadOnly
      popupAlign={SHIFT_INTO_SCREEN}
      style={{ width: 130 }}
    />
  );
  return (
    <Space wrap size={8} role="group" aria-label={ariaLabel}>
      {presets?.length ? (
        <Select
          id={id && `${id}-quick`}
          aria-label={t('common.quickRange')}
          placeholder={t('common.quickRange')}
          style={{ width: 120 }}
          value={presetIndex !== undefined && presetIndex >= 0 ? presetIndex : undefined}
          onChange={(i: number) => presets[i] && onChange(presets[i].value)}
          options={presets.map((p, i) => ({ value: i, label: p.label }))}
        />
      ) : null}
      {/* The two ends stay on one line together, "from ~ to". */}
      <span style={{ whiteSpace: 'nowrap' }}>
        {end('from', from, setFrom)}
        <span aria-hidden style={{ margin: '0 6px' }}>
          ~
        </span>
        {end('to', to, setTo)}
      </span>
    </Space>
  );
}
