import { z } from 'zod';
import type { FieldSpec } from './types';

/**
 * Builds the zod schema that validates data submitted for a form or a process
 * input. Unknown fields are refused, so a typo is a 400 rather than lost data.
 * Used at the API edge only, never inside the workflow sandbox.
 */
export function formSchema(fields: readonly FieldSpec[]): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const field of fields) {
    const base = fieldSchema(field);
    shape[field.name] = field.required ? base : base.optional();
  }
  return z.strictObject(shape);
}

function fieldSchema(field: FieldSpec): z.ZodType {
  switch (field.type) {
    case 'string':
    case 'text': {
      let s = z.string();
      s = s.min(field.min ?? (field.required ? 1 : 0));
      if (field.max !== undefined) s = s.max(field.max);
      return s;
    }
    case 'number':
    case 'integer': {
      let n = field.type === 'integer' ? z.number().int() : z.number();
      if (field.min !== undefined) n = n.min(field.min);
      if (field.max !== undefined) n = n.max(field.max);
      return n;
    }
    case 'boolean':
      return z.boolean();
    case 'date':
      return z.iso.date();
    case 'enum':
      return z.enum((field.options ?? []) as [string, ...string[]]);
  }
}
