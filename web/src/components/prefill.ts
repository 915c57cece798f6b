import dayjs from 'dayjs';
import type { FieldSpec } from '../api/types';

/**
 * Start values of a form from what the task carries (`context.figures`, e.g. the
 * phase's visitor and deal counts the analytics computed, or an effect summary's
 * period, leads and deals): the figures whose names
 * are fields of the form and whose values suit the field. The person checks, changes
 * and submits; the task keeps both the context and the submission, so what was
 * changed stays known.
 */
export function prefillFrom(fields: FieldSpec[], context: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const figures = context?.figures;
  if (!figures || typeof figures !== 'object') return {};
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = (figures as Record<string, unknown>)[field.name];
    const numeric = field.type === 'integer' || field.type === 'number' || field.type === 'money';
    if (numeric && typeof value === 'number') out[field.name] = value;
    else if ((field.type === 'text' || field.type === 'string') && typeof value === 'string') out[field.name] = value;
    // A day (an effect summary's period): the date picker holds it as a dayjs value.
    else if (field.type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) out[field.name] = dayjs(value);
  }
  return out;
}
