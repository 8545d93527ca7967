import path from 'node:path';

/** Where global setup leaves the addresses of the shared test services. */
export const TEST_STATE_FILE = path.resolve(__dirname, '../../.cache/test-stack.json');

export interface TestStackState {
  pgAdminUrl: string;
}
