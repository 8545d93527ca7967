#!/usr/bin/env node
// @ts-check
/**
 * Runs this project's Prisma CLI offline: unless a native schema engine is available (the
 * PRISMA_SCHEMA_ENGINE_BINARY variable is already set, or a native binary sits where the CLI
 * looks), the CLI gets our WASM-backed engine shim, so it never tries to download one.
 * Usage: node tools/schema-engine/prisma.mjs <prisma args...>; the exit code passes through.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
export const SHIM = path.join(here, 'schema-engine.mjs');

/**
 * A native schema-engine binary the CLI would pick up by itself, if any.
 * @param {string} projectRoot
 * @returns {string | undefined}
 */
export function findNativeEngine(projectRoot) {
  const dirs = [path.join(projectRoot, 'node_modules', '@prisma', 'engines'), path.join(projectRoot, 'node_modules', 'prisma')];
  for (const dir of dirs) {
    const hit = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => /^schema-engine-[a-z0-9.-]+$/.test(f) && !f.endsWith('.sha256')) : undefined;
    if (hit) return path.join(dir, hit);
  }
  return undefined;
}

/**
 * The environment for the CLI child process.
 * @param {NodeJS.ProcessEnv} env
 * @returns {NodeJS.ProcessEnv}
 */
export function prismaEnv(env) {
  const out = {
    ...env,
    // No update checks or telemetry calls; no checksum downloads for engines.
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1',
  };
  if (!out.PRISMA_SCHEMA_ENGINE_BINARY && !findNativeEngine(root)) out.PRISMA_SCHEMA_ENGINE_BINARY = SHIM;
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], { cwd: process.cwd(), env: prismaEnv(process.env), stdio: 'inherit' });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`Could not start the Prisma CLI: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
