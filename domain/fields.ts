/**
 * Field types that forms, process inputs and event payloads may declare.
 * `unit`: the id of a unit (房源) of the process's project; a front end offers the available ones.
 */
export const FIELD_TYPES = ['string', 'text', 'number', 'integer', 'money', 'boolean', 'date', 'datetime', 'enum', 'list', 'unit'] as const;

/** One of {@link FIELD_TYPES}. */
export type FieldType = (typeof FIELD_TYPES)[number];
