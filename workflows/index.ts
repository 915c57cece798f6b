/** The workflows the worker registers (this module is the sandbox bundle's entry). */
export { processInterpreter } from './process-workflow';
