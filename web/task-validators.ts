import { createRequire } from 'node:module';
import path from 'node:path';
import { compileSchemaValidatorsCode } from '@rjsf/validator-ajv8/compileSchemaValidators';
import type { Plugin } from 'vite';
import { z } from 'zod';
import { TASK_FORMS } from '../src/workflows/steps/registry';
import { prepareTaskSchema } from './src/formSchema';

/**
 * Build-time plugin: every task form's schema, prepared exactly as the console prepares the one the
 * API sends (same zod forms, same code), is compiled into validation functions by ajv's standalone
 * mode. The page then validates without compiling code at run time, so its Content Security Policy
 * needs no 'unsafe-eval'. The dev server (no CSP) gets no precompiled validators and compiles as usual.
 */

const ID = 'virtual:task-validators';
const RESOLVED = `\0${ID}`;
const FORM_PREFIX = `\0${ID}/`;

const require = createRequire(import.meta.url);
// The compiled code needs ajv's small runtime helpers: take them from the ajv the renderer uses.
// The package's main file is <dir>/dist/index.cjs; its package.json is not exported.
const validatorDir = path.resolve(path.dirname(require.resolve('@rjsf/validator-ajv8')), '..');
const resolveRuntime = (specifier: string) => require.resolve(specifier, { paths: [validatorDir] });

export function preparedTaskSchemas(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(TASK_FORMS).map(([type, form]) => [
      type,
      prepareTaskSchema(z.toJSONSchema(form, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>) as Record<string, unknown>,
    ]),
  );
}

export function taskValidatorsPlugin(): Plugin {
  let build = false;
  return {
    name: 'pis-task-validators',
    configResolved(config) {
      build = config.command === 'build';
    },
    resolveId(id) {
      if (id === ID) return RESOLVED;
      if (id.startsWith(FORM_PREFIX)) return id;
      return undefined;
    },
    load(id) {
      if (id === RESOLVED) {
        if (!build) return 'export const PRECOMPILED = null;';
        const schemas = preparedTaskSchemas();
        const types = Object.keys(schemas);
        return [
          ...types.map((t, i) => `import v${i} from ${JSON.stringify(FORM_PREFIX + t)};`),
          `export const PRECOMPILED = {`,
          ...types.map((t, i) => `  ${JSON.stringify(t)}: { schema: ${JSON.stringify(schemas[t])}, fns: v${i} },`),
          `};`,
        ].join('\n');
      }
      if (id.startsWith(FORM_PREFIX)) {
        const type = id.slice(FORM_PREFIX.length);
        const schema = preparedTaskSchemas()[type];
        if (!schema) throw new Error(`unknown task form ${type}`);
        // CommonJS from ajv's standalone mode (its ES module mode cannot name hashed schema ids).
        return compileSchemaValidatorsCode(schema as never).replace(/require\("([^"]+)"\)/g, (_m, spec: string) => `require(${JSON.stringify(resolveRuntime(spec))})`);
      }
      return undefined;
    },
  };
}
