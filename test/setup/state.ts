import fs from 'node:fs';
import path from 'node:path';

/**
 * Where global setup leaves the addresses of the shared test services (the latest run's). Test
 * workers get the same values through TEST_* environment variables, which take precedence.
 */
export const TEST_STATE_FILE = path.resolve(__dirname, '../../.cache/test-stack.json');

export interface TestStackState {
  pgAdminUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  temporalCliPath: string;
  temporalTestServerPath: string;
}

export function readTestState(): TestStackState | undefined {
  try {
    return JSON.parse(fs.readFileSync(TEST_STATE_FILE, 'utf8')) as TestStackState;
  } catch {
    return undefined;
  }
}
