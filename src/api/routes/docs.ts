import { Router } from 'express';
import { buildOpenApiDocument } from '../openapi';

/**
 * `GET /api/openapi.json` and `GET /api/docs`: a small self-contained page (no CDN, the machines
 * running this have no internet) that lists the operations from the OpenAPI document and lets a
 * developer log in and try them. Script in its own file so the page runs under a strict CSP.
 */

const PAGE = `<!doctype html>
<html lang="it">
<head>
<meta charset="utf-8">
<title>PIS API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1000px;padding:1rem;color:#222}
h1{font-size:1.4rem} .op{border:1px solid #ccc;border-radius:6px;margin:.5rem 0;padding:.5rem}
.m{display:inline-block;min-width:3.5rem;font-weight:bold;text-transform:uppercase}
.get{color:#1565c0}.post{color:#2e7d32} code{background:#f4f4f4;padding:0 .2rem}
textarea,input{font:12px monospace;width:100%;box-sizing:border-box} pre{background:#f7f7f7;padding:.5rem;overflow:auto;max-height:20rem}
details>summary{cursor:pointer} .roles{color:#666;font-size:12px}
</style>
</head>
<body>
<h1>PIS – API operatori e coordinatori</h1>
<p>Documento OpenAPI: <a href="/api/openapi.json">/api/openapi.json</a>. Errori in <code>application/problem+json</code>.</p>
<fieldset><legend>Accesso</legend>
<input id="username" placeholder="utente" autocomplete="username"> <input id="password" type="password" placeholder="password" autocomplete="current-password">
<button id="login">Accedi</button> <span id="who"></span></fieldset>
<div id="ops">Caricamento…</div>
<script src="/api/docs/app.js"></script>
</body>
</html>`;

const SCRIPT = `'use strict';
let token = '';
const el = (tag, attrs, ...children) => { const e = document.createElement(tag); Object.assign(e, attrs || {}); for (const c of children) e.append(c); return e; };
async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body });
  const text = await res.text();
  let shown = text; try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
  return res.status + ' ' + res.statusText + '\\n' + shown;
}
document.getElementById('login').onclick = async () => {
  const res = await fetch('/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: document.getElementById('username').value, password: document.getElementById('password').value }) });
  const data = await res.json();
  token = res.ok ? data.token : '';
  document.getElementById('who').textContent = res.ok ? data.user.displayName + ' (' + data.user.role + ')' : (data.detail || 'errore');
};
fetch('/api/openapi.json').then((r) => r.json()).then((doc) => {
  const ops = document.getElementById('ops'); ops.textContent = '';
  for (const [path, item] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(item)) {
    const hasBody = Boolean(op.requestBody);
    const pathInput = el('input', { value: path });
    const query = el('input', { placeholder: 'query string, es. status=active&limit=10' });
    const bodyInput = el('textarea', { rows: 5, placeholder: 'corpo JSON' });
    const out = el('pre');
    const send = el('button', { textContent: 'Invia' });
    send.onclick = async () => { out.textContent = '…'; const q = query.value ? '?' + query.value : '';
      out.textContent = await call(method.toUpperCase(), pathInput.value + q, hasBody ? bodyInput.value || '{}' : undefined); };
    const schema = hasBody ? JSON.stringify(op.requestBody.content['application/json'].schema, null, 2) : '';
    ops.append(el('div', { className: 'op' },
      el('div', {}, el('span', { className: 'm ' + method, textContent: method }), el('code', { textContent: path }), ' ', op.summary || ''),
      el('div', { className: 'roles', textContent: op.description || '' }),
      el('details', {}, el('summary', { textContent: 'Prova' }), pathInput, query, ...(hasBody ? [bodyInput, el('details', {}, el('summary', { textContent: 'Schema del corpo' }), el('pre', { textContent: schema }))] : []), send, out)));
  }
});
`;

let cached: Record<string, unknown> | undefined;

export function docsRouter(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    cached ??= buildOpenApiDocument();
    res.json(cached);
  });
  router.get('/docs', (_req, res) => {
    res.setHeader('Content-Security-Policy', "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'");
    res.type('html').send(PAGE);
  });
  router.get('/docs/app.js', (_req, res) => {
    res.type('application/javascript').send(SCRIPT);
  });
  return router;
}
