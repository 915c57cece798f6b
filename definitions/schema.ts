import { z } from 'zod';
import { FIELD_TYPES } from '../domain/fields';
import type { Condition, DueSpec, FieldSpec, ProcessDefinition, Step, ValueMapping } from './types';

const identifier = z.string().regex(/^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/, 'use lower-case letters, digits, - and _');
const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be an identifier');
/** A variable path: an input field, a step id or `$item`, then dotted field names. */
const variablePath = z
  .string()
  .regex(/^(\$item|\$form|\$process|\$event|[A-Za-z][A-Za-z0-9_-]*)(\.[A-Za-z0-9_]+)*$/, 'must be a variable path like step.field');
const recordKind = z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and -');

const fieldSpecSchema: z.ZodType<FieldSpec> = z.lazy(() =>
  z.strictObject({
    name: fieldName,
    label: z.string().min(1).optional(),
    type: z.enum(FIELD_TYPES),
    required: z.boolean().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    options: z.array(z.string().min(1)).min(1).optional(),
    of: z.array(fieldSpecSchema).min(1).optional(),
  }),
);

/** A duration: at least one unit. Also what the API accepts for deadline extensions. */
export const durationSchema = z
  .strictObject({
    seconds: z.number().positive().optional(),
    minutes: z.number().positive().optional(),
    hours: z.number().positive().optional(),
    days: z.number().positive().optional(),
    workingDays: z.number().int().positive().optional(),
  })
  .refine((d) => Object.values(d).some((v) => v !== undefined), 'give at least one unit');

const pathOrPaths = z.union([variablePath, z.array(variablePath).min(1)]);
const cadenceSchema = z.strictObject({
  byValueOf: pathOrPaths,
  cases: z.record(z.string().min(1), durationSchema),
  otherwise: durationSchema,
});
const dueSchema: z.ZodType<DueSpec> = z.union([
  z.strictObject({ atVariable: pathOrPaths, ifMissing: z.union([cadenceSchema, durationSchema]).optional() }),
  cadenceSchema,
  durationSchema,
]);

const deadlineSchema = z.strictObject({
  remindAt: z.array(z.number().positive().max(1)).optional(),
  escalate: z
    .array(z.strictObject({ atFraction: z.number().min(1), toRole: identifier }))
    .optional()
    .refine(
      (levels) => !levels || levels.every((l, i) => i === 0 || l.atFraction > levels[i - 1]!.atFraction),
      'levels must be in increasing atFraction order',
    ),
  finally: z.strictObject({ atFraction: z.number().min(1), action: z.enum(['auto-approve', 'auto-reject']) }).optional(),
});

const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
    z.strictObject({
      var: variablePath,
      op: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'truthy']),
      value: z.unknown().optional(),
    }),
  ]),
);

const activityName = z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/, 'must be a registered activity name');
const mappingSchema: z.ZodType<ValueMapping> = z.union([z.strictObject({ var: pathOrPaths }), z.strictObject({ value: z.unknown() })]);
const assignToSchema = z.strictObject({ userFrom: variablePath });

/** Interruptions and event handlers of a block (built inside the lazy step schema: their steps are steps). */
const blockEvents = () => ({
  interruptedBy: z.strictObject({ events: z.array(identifier).min(1), then: stepSchema.optional() }).optional(),
  onEvent: z
    .array(z.strictObject({ event: identifier, step: stepSchema }))
    .min(1)
    .optional(),
});

const stepSchema: z.ZodType<Step> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('task'),
      id: identifier,
      title: z.string().min(1),
      role: identifier,
      assignTo: assignToSchema.optional(),
      form: z.array(fieldSpecSchema).optional(),
      record: recordKind.optional(),
      onComplete: z.strictObject({ activity: activityName, input: z.record(fieldName, mappingSchema).optional() }).optional(),
      context: z.record(fieldName, mappingSchema).optional(),
      due: dueSchema,
      deadline: deadlineSchema.optional(),
    }),
    z.strictObject({
      kind: z.literal('approval'),
      id: identifier,
      title: z.string().min(1),
      mode: z.enum(['chain', 'joint']).optional(),
      approvers: z.array(z.strictObject({ role: identifier, due: dueSchema, deadline: deadlineSchema.optional() })).min(1),
      form: z.array(fieldSpecSchema).optional(),
      record: recordKind.optional(),
      revise: z
        .strictObject({
          role: identifier,
          assignTo: assignToSchema.optional(),
          form: z.array(fieldSpecSchema).optional(),
          record: recordKind.optional(),
          due: dueSchema,
          maxRounds: z.number().int().min(1).max(20),
          deadline: deadlineSchema.optional(),
        })
        .optional(),
      continueOnReject: z.boolean().optional(),
    }),
    z.strictObject({ kind: z.literal('sequence'), id: identifier, steps: z.array(stepSchema).min(1), ...blockEvents() }),
    z.strictObject({ kind: z.literal('parallel'), id: identifier, branches: z.array(stepSchema).min(2), ...blockEvents() }),
    z.strictObject({
      kind: z.literal('decision'),
      id: identifier,
      branches: z.array(z.strictObject({ when: conditionSchema, step: stepSchema })).min(1),
      otherwise: stepSchema.optional(),
    }),
    z.strictObject({
      kind: z.literal('loop'),
      id: identifier,
      body: stepSchema,
      while: conditionSchema.optional(),
      untilEvent: z.union([identifier, z.array(identifier).min(1)]).optional(),
      maxIterations: z.number().int().min(1).max(1000),
      freshValues: z.boolean().optional(),
      ...blockEvents(),
    }),
    z.strictObject({
      kind: z.literal('timer'),
      id: identifier,
      duration: durationSchema.optional(),
      untilVariable: variablePath.optional(),
    }),
    z.strictObject({ kind: z.literal('event'), id: identifier, event: identifier, timeout: durationSchema.optional() }),
    z.strictObject({
      kind: z.literal('activity'),
      id: identifier,
      activity: activityName,
      input: z.record(fieldName, mappingSchema).optional(),
      maxAttempts: z.number().int().min(1).max(100).optional(),
    }),
    z.strictObject({
      kind: z.literal('subprocess'),
      id: identifier,
      definition: identifier,
      version: z.number().int().positive().optional(),
      input: z.record(fieldName, mappingSchema).optional(),
      forEach: variablePath.optional(),
      wait: z.boolean().optional(),
      continueOnReject: z.boolean().optional(),
    }),
    z.strictObject({ kind: z.literal('end'), id: identifier, outcome: z.enum(['completed', 'rejected']) }),
  ]),
);

/** The shape of a process definition. Semantic checks are in `validate.ts`. */
export const processDefinitionSchema: z.ZodType<ProcessDefinition> = z.strictObject({
  key: identifier,
  version: z.number().int().positive(),
  title: z.string().min(1),
  description: z.string().optional(),
  roles: z.array(identifier).min(1),
  starters: z.array(identifier).min(1).optional(),
  input: z.array(fieldSpecSchema),
  events: z
    .array(z.strictObject({ name: identifier, payload: z.array(fieldSpecSchema), senders: z.array(identifier).min(1).optional() }))
    .optional(),
  root: stepSchema,
});
