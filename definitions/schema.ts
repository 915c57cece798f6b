import { z } from 'zod';
import type { ProcessDefinition, Step } from './types';

const identifier = z.string().regex(/^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/, 'use lower-case letters, digits, - and _');

const fieldSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be an identifier'),
  label: z.string().min(1).optional(),
  type: z.enum(['string', 'text', 'number', 'integer', 'boolean', 'date', 'enum']),
  required: z.boolean().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  options: z.array(z.string().min(1)).min(1).optional(),
});

const durationSchema = z
  .strictObject({
    seconds: z.number().positive().optional(),
    minutes: z.number().positive().optional(),
    hours: z.number().positive().optional(),
    days: z.number().positive().optional(),
    workingDays: z.number().int().positive().optional(),
  })
  .refine((d) => Object.values(d).some((v) => v !== undefined), 'give at least one unit');

const deadlineSchema = z.strictObject({
  remindAt: z.array(z.number().positive().max(1)).optional(),
  escalate: z
    .array(z.strictObject({ atFraction: z.number().min(1), toRole: identifier }))
    .optional()
    .refine(
      (levels) => !levels || levels.every((l, i) => i === 0 || l.atFraction > levels[i - 1]!.atFraction),
      'levels must be in increasing atFraction order',
    ),
  onExhausted: z.literal('keep-waiting').optional(),
});

const stepSchema: z.ZodType<Step> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('task'),
      id: identifier,
      title: z.string().min(1),
      role: identifier,
      form: z.array(fieldSchema).optional(),
      due: durationSchema,
      deadline: deadlineSchema.optional(),
    }),
    z.strictObject({
      kind: z.literal('approval'),
      id: identifier,
      title: z.string().min(1),
      chain: z.array(z.strictObject({ role: identifier, due: durationSchema, deadline: deadlineSchema.optional() })).min(1),
      form: z.array(fieldSchema).optional(),
    }),
    z.strictObject({
      kind: z.literal('sequence'),
      id: identifier,
      steps: z.array(stepSchema).min(1),
    }),
  ]),
);

/** The shape of a process definition. Semantic checks are in `validate.ts`. */
export const processDefinitionSchema: z.ZodType<ProcessDefinition> = z.strictObject({
  key: identifier,
  version: z.number().int().positive(),
  title: z.string().min(1),
  description: z.string().optional(),
  roles: z.array(identifier).min(1),
  input: z.array(fieldSchema),
  root: stepSchema,
});
