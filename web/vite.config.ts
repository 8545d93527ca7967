import path from 'node:path';
import { defineConfig } from 'vite';
import { taskValidatorsPlugin } from './task-validators';

/**
 * The operators' console. `npm run build:web` writes web/dist, which the API process serves at `/`
 * (src/api/routes/console.ts). `npm run dev:web` serves it with hot reload and forwards `/api` to
 * the API of `npm start` (API_PORT, default 3000). Everything is bundled from npm packages: no CDN,
 * no web fonts fetched at run time.
 */
const apiPort = process.env.API_PORT ?? '3000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [taskValidatorsPlugin()],
  build: {
    outDir: path.join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      checks: { pluginTimings: false },
      onwarn(warning, handle) {
        // React libraries mark modules 'use client' for server components; meaningless in a browser bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handle(warning);
      },
    },
  },
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    strictPort: true,
    proxy: { '/api': `http://127.0.0.1:${apiPort}` },
  },
});
