/** @type {import('jest').Config} */
const common = {
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testEnvironment: 'node',
  // The generated Prisma client imports its siblings as './x.js' (ESM-style paths to .ts files).
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

// The fault suite (issue 10) starts its own processes and takes minutes: only `npm run test:faults`
// (PIS_FAULTS=1) runs it, without the shared test stack of the other projects.
const faultsOnly = process.env.PIS_FAULTS === '1';
const faults = { ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'] };

module.exports = faultsOnly ? { testTimeout: 20 * 60_000, projects: [faults] } : {
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  // Generous: CI shares two cores between Temporal, PostgreSQL, Chromium and Jest. A hang still fails.
  testTimeout: 180000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/tools/**/*.test.ts'] },
    { ...common, displayName: 'workflow', testMatch: ['<rootDir>/test/workflow/**/*.test.ts'] },
    { ...common, displayName: 'replay', testMatch: ['<rootDir>/test/replay/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
