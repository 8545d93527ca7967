declare module 'virtual:task-validators' {
  import type { ValidatorFunctions } from '@rjsf/validator-ajv8';
  /** Task form validators compiled at build time (null on the dev server); see web/task-validators.ts. */
  export const PRECOMPILED: Record<string, { schema: Record<string, unknown>; fns: ValidatorFunctions }> | null;
}
