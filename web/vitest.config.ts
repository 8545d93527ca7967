import { defineConfig } from 'vitest/config';

/** Component tests of the console (jsdom); `npm run test:web`, part of `npm test`. */
export default defineConfig({
  root: import.meta.dirname,
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    css: false,
  },
});
