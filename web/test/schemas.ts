import { z } from 'zod';
import { TASK_FORMS, type TaskType } from '../../src/workflows/steps/registry';

/** The JSON Schema of a task form exactly as the API builds it (src/api/routes/tasks.ts). */
export function apiFormSchema(type: TaskType): Record<string, unknown> {
  return z.toJSONSchema(TASK_FORMS[type], { io: 'input', unrepresentable: 'any' });
}
