import type { TestStack } from './global-setup';
import { stopStack } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__PIS_TEST_STACK__ as TestStack | undefined;
  if (stack) await stopStack(stack);
}
