// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'web/dist/', '.data/', '.cache/', 'src/generated/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'tools/*/*.mjs', 'tools/*/*/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node modules, no I/O, no clocks.
    files: ['src/workflows/**/*.ts'],
    ignores: ['src/workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process', 'http', 'https', 'net', 'timers'], message: 'Workflow code must not import Node modules.' },
          { group: ['@prisma/*', '**/generated/**', 'express', 'pg', 'pino', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Workflow code must not do I/O.' },
          { group: ['**/activities', '**/activities/**'], message: 'Workflow code never imports activity implementations (their types: ./activity-types).' },
          { group: ['**/api/**', '**/db/**', '**/cases/**', '**/supervision/**', '**/runtime/**', '**/embedded/**'], message: 'Workflow code imports only workflow, domain and pure shared modules.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'process', message: 'No process in workflow code.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Map']", message: 'Workflow state must be plain JSON (no Map).' },
        { selector: "NewExpression[callee.name='Set']", message: 'Workflow state must be plain JSON (no Set).' },
      ],
    },
  },
);
