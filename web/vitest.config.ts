import { defineConfig } from 'vitest/config';
import { taskValidatorsPlugin } from './task-validators';

/** Component tests of the console (jsdom); `npm run test:web`, part of `npm test`. */
export default defineConfig({
  root: import.meta.dirname,
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [taskValidatorsPlugin()],
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    css: false,
  },
});
