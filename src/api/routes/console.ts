import fs from 'node:fs';
import path from 'node:path';
import express, { type Express, type Response, Router } from 'express';
import { securityHeaders } from '../security-headers';

/**
 * The operators' web console (web/, built by `npm run build:web` into web/dist), served by the API
 * process at `/`. One page with hash routes, so only `/` and the hashed files under `/assets` are
 * served; everything under /api, /codec and the health routes is untouched. The page talks only to
 * `/api` on the same origin, under the strict Content Security Policy of src/api/security-headers.ts.
 */

export const DEFAULT_CONSOLE_DIR = path.resolve('web/dist');

const NOT_BUILT = `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>PIS – console non disponibile</title></head>
<body><h1>Console non ancora compilata</h1><p>Eseguire <code>npm run build:web</code> (lo fa già <code>npm start</code>) e ricaricare la pagina.</p>
<p>L’API è disponibile in <a href="/api/docs">/api/docs</a>.</p></body></html>`;

export function consoleRouter(opts: { dir?: string } = {}): Router {
  const dir = opts.dir ?? DEFAULT_CONSOLE_DIR;
  const router = Router();
  // The same headers as every answer of the app (CSP, no framing): here too when mounted alone.
  router.use(securityHeaders());
  const sendIndex = (res: Response) => {
    const index = path.join(dir, 'index.html');
    if (!fs.existsSync(index)) {
      res.status(503).type('html').send(NOT_BUILT);
      return;
    }
    res.type('html').sendFile(index);
  };
  router.get(['/', '/index.html'], (_req, res) => sendIndex(res));
  // File names carry a content hash: cache them for good (the page itself stays no-store).
  router.use('/assets', express.static(path.join(dir, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: true }));
  return router;
}

export function mountConsole(app: Express, opts: { dir?: string } = {}): void {
  app.use(consoleRouter(opts));
}
