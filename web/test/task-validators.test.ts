// @vitest-environment node
import { compileSchemaValidatorsCode } from '@rjsf/validator-ajv8/compileSchemaValidators';
import { describe, expect, it } from 'vitest';
import { TASK_TYPES } from '../../src/workflows/steps/registry';
import { prepareTaskSchema } from '../src/formSchema';
import { preparedTaskSchemas } from '../task-validators';
import { apiFormSchema } from './schemas';

/** The build compiles a validator for every task form, for exactly the schema the page will prepare from the API's. */
describe('precompiled task validators', () => {
  const built = preparedTaskSchemas();

  it('cover every task type', () => {
    expect(Object.keys(built).sort()).toEqual([...TASK_TYPES].sort());
  });

  it.each(TASK_TYPES)('%s: same schema as the page prepares from the API, and it compiles', (type) => {
    expect(built[type]).toEqual(prepareTaskSchema(apiFormSchema(type)));
    const code = compileSchemaValidatorsCode(built[type] as never);
    expect(code).toContain('exports[');
  });
});
