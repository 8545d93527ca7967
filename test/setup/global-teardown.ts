import type { EmbeddedPostgresHandle } from '../../src/embedded/postgres';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__PIS_TEST_STACK__ as { pg?: EmbeddedPostgresHandle } | undefined;
  await stack?.pg?.stop();
}
