/** @type {import('jest').Config} */
const common = {
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testEnvironment: 'node',
  // The generated Prisma client imports its siblings as './x.js' (ESM-style paths to .ts files).
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/**
 * One real PostgreSQL and Temporal dev server for the whole run (started once even when several
 * projects name it: Jest runs each distinct global setup once).
 */
const services = {
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
};

// The fault suite (issue 10) starts its own processes and takes minutes: only `npm run test:faults`
// (PIS_FAULTS=1) runs it, without the shared test stack of the other projects.
const faultsOnly = process.env.PIS_FAULTS === '1';
const faults = { ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'] };

module.exports = faultsOnly ? { testTimeout: 20 * 60_000, projects: [faults] } : {
  // Generous: CI shares two cores between Temporal, PostgreSQL, Chromium and Jest. A hang still fails.
  testTimeout: 180000,
  projects: [
    { ...common, ...services, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/tools/**/*.test.ts'] },
    { ...common, ...services, displayName: 'workflow', testMatch: ['<rootDir>/test/workflow/**/*.test.ts'] },
    // The protocol's steps, beside their code, on the time-skipping test server with fake activities (no PostgreSQL).
    { ...common, displayName: 'steps', testMatch: ['<rootDir>/src/workflows/**/*.test.ts'] },
    { ...common, ...services, displayName: 'replay', testMatch: ['<rootDir>/test/replay/**/*.test.ts'] },
    { ...common, ...services, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...common, ...services, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
