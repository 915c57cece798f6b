import { z } from 'zod';
import type { FieldSpec } from './types';

/**
 * Builds the zod schema that validates data submitted for a form, a process input
 * or an event payload. Unknown fields are refused, so a typo is a 400 rather than
 * lost data. Used at the API edge only, never inside the workflow sandbox.
 */
export function formDataSchema(fields: readonly FieldSpec[]): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const field of fields) {
    const base = fieldValueSchema(field);
    shape[field.name] = field.required ? base : base.optional();
  }
  return z.strictObject(shape);
}

function fieldValueSchema(field: FieldSpec): z.ZodType {
  switch (field.type) {
    case 'string':
    case 'text': {
      let s = z.string().min(field.min ?? (field.required ? 1 : 0));
      if (field.max !== undefined) s = s.max(field.max);
      return s;
    }
    case 'number':
    case 'integer':
    case 'money': {
      let n = field.type === 'integer' ? z.number().int() : z.number();
      // Money is kept to the cent: more decimals are a typing error, not a rounding job.
      if (field.type === 'money') n = n.multipleOf(0.01);
      if (field.min !== undefined) n = n.min(field.min);
      if (field.max !== undefined) n = n.max(field.max);
      return n;
    }
    case 'boolean':
      return z.boolean();
    case 'unit':
      // Whether the unit is in the project and free is the unit activities' to say.
      return z.uuid('must be a unit id');
    case 'date':
      return z.iso.date();
    case 'datetime':
      return z.iso.datetime({ offset: true });
    case 'enum':
      return z.enum((field.options ?? []) as [string, ...string[]]);
    case 'list': {
      let list = z.array(field.of ? formDataSchema(field.of) : z.string().min(1));
      if (field.min !== undefined) list = list.min(field.min);
      if (field.max !== undefined) list = list.max(field.max);
      return list;
    }
  }
}
