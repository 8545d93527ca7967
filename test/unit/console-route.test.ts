import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { mountConsole } from '../../src/api/routes/console';

/** The built console served at `/`: the page under a strict CSP, hashed assets cached, nothing else shadowed. */

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pis-console-route-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html lang="it"><title>PIS</title></html>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function app(consoleDir: string) {
  const a = express();
  a.get('/api/ping', (_req, res) => res.json({ ok: true }));
  mountConsole(a, { dir: consoleDir });
  a.use((_req, res) => res.status(404).json({ status: 404 }));
  return a;
}

it('serves the page with a Content Security Policy that allows only this origin', async () => {
  const res = await request(app(dir)).get('/');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.text).toContain('<title>PIS</title>');
  const csp = res.headers['content-security-policy'] as string;
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("script-src 'self';");
  expect(csp).not.toMatch(/unsafe-eval|'unsafe-inline'[^;]*script/);
  expect(csp).not.toMatch(/https?:/);
});

it('caches hashed assets for good and answers 404 for unknown ones', async () => {
  const asset = await request(app(dir)).get('/assets/index-abc123.js');
  expect(asset.status).toBe(200);
  expect(asset.headers['cache-control']).toMatch(/immutable/);
  expect((await request(app(dir)).get('/assets/missing.js')).status).toBe(404);
});

it('leaves the API and other paths alone', async () => {
  expect((await request(app(dir)).get('/api/ping')).body).toEqual({ ok: true });
  expect((await request(app(dir)).get('/etc/passwd')).status).toBe(404);
  expect((await request(app(dir)).get('/assets/../index.html')).status).not.toBe(500);
});

it('says in Italian how to build the console when it has not been built', async () => {
  const res = await request(app(path.join(dir, 'missing'))).get('/');
  expect(res.status).toBe(503);
  expect(res.text).toContain('npm run build:web');
});
