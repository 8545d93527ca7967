import express from 'express';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { createLogger } from '../../src/api/logger';
import { ProblemError } from '../../src/api/problem';
import { loadConfig } from '../../src/config';

/** Every answer of the app carries the same security headers (helmet, src/api/security-headers.ts). */

const ok = () => Promise.resolve();
function app() {
  const config = loadConfig({ NODE_ENV: 'test', PIS_DATA_DIR: '/tmp/pis-security-headers' });
  return createApp({
    config,
    logger: createLogger({ level: 'silent' }),
    health: { temporal: ok, database: ok, migrations: () => Promise.resolve([]) },
    mount: (a) => {
      const r = express.Router();
      r.get('/api/things', (_req, res) => res.json({ ok: true }));
      r.get('/api/broken', () => {
        throw new ProblemError(409, { detail: 'conflitto' });
      });
      a.use(r);
    },
  });
}

function expectSecurityHeaders(res: request.Response) {
  const csp = res.headers['content-security-policy'] as string;
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self';");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toMatch(/unsafe-eval|https?:/);
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(res.headers['x-powered-by']).toBeUndefined();
  expect(res.headers['cache-control']).toBe('no-store');
}

it.each([
  ['a JSON answer', '/api/things', 200],
  ['a problem answer', '/api/broken', 409],
  ['a 404', '/nowhere', 404],
  ['the liveness probe', '/health', 200],
])('%s carries the security headers', async (_label, path, status) => {
  const res = await request(app()).get(path);
  expect(res.status).toBe(status);
  expectSecurityHeaders(res);
});
