/** The definition language (types, schema, checks, form data), and the built-in definitions written in it. */
export type * from './types';
export { durationSchema, processDefinitionSchema } from './schema';
export { validateDefinition, InvalidDefinitionError } from './validate';
export { walkSteps } from './walk';
export type { DefinitionProblem, DefinitionValidation, ValidationContext } from './validate';
export { formDataSchema } from './form-data';
export { canonicalJson, definitionChecksum } from './canonical';
export * from './built-in';
