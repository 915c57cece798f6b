// swagger-ui-dist ships no types; the one function used here.
declare module 'swagger-ui-dist' {
  /** The folder holding swagger-ui-bundle.js, swagger-ui.css and the rest. */
  export function absolutePath(): string;
}
