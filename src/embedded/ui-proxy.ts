import http from 'node:http';

/**
 * The embedded Temporal UI, read-only. The CLI's dev server has no setting for the UI's
 * "disable write actions" (its UI config is built in code), so the app serves the UI through this
 * proxy: the UI's settings say every write action is disabled (the UI then hides terminate,
 * cancel, signal, update, reset, batch, start), and any non-read call to the UI's API is refused
 * with 403 whatever the browser sends. Case changes go through the API (actor, roles, audit).
 */

/** Settings flags of the Temporal UI server (`GET /api/v1/settings`) that turn writes off. */
const WRITE_FLAGS = [
  'DisableWriteActions',
  'WorkflowTerminateDisabled',
  'WorkflowCancelDisabled',
  'WorkflowSignalDisabled',
  'WorkflowUpdateDisabled',
  'WorkflowResetDisabled',
  'WorkflowPauseDisabled',
  'BatchActionsDisabled',
  'StartWorkflowDisabled',
  'ActivityCommandsDisabled',
];

/** Reads are GET; queries (POST …/query/…) read workflow state without changing it. */
export function isReadOnlyCall(method: string, url: string): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return true;
  const pathname = url.split('?')[0] ?? '';
  if (!pathname.startsWith('/api/')) return method === 'POST' && pathname === '/auth/logout';
  return method === 'POST' && /\/workflows\/[^/]+(?:\/runs\/[^/]+)?\/query\/[^/]+$/.test(pathname);
}

export function readOnlySettings(body: string): string {
  const settings = JSON.parse(body) as Record<string, unknown>;
  for (const flag of WRITE_FLAGS) settings[flag] = true;
  return JSON.stringify(settings);
}

export interface UiProxyHandle {
  url: string;
  close(): Promise<void>;
}

export async function startReadOnlyUiProxy(opts: { host: string; port: number; target: { host: string; port: number } }): Promise<UiProxyHandle> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    if (!isReadOnlyCall(method, url)) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'The embedded Temporal UI is read-only: change cases through the PIS console or API.' }));
      req.resume();
      return;
    }
    const settings = method === 'GET' && url.split('?')[0] === '/api/v1/settings';
    const headers = { ...req.headers, host: `${opts.target.host}:${opts.target.port}` };
    // The settings answer is rewritten: ask for it uncompressed.
    if (settings) delete headers['accept-encoding'];
    const upstream = http.request({ host: opts.target.host, port: opts.target.port, method, path: url, headers }, (up) => {
      if (!settings || (up.statusCode ?? 500) !== 200) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        let body: string;
        try {
          body = readOnlySettings(Buffer.concat(chunks).toString('utf8'));
        } catch {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: 'unexpected UI settings' }));
          return;
        }
        const { 'content-length': _length, 'content-encoding': _encoding, ...rest } = up.headers;
        res.writeHead(200, { ...rest, 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Temporal UI not reachable (the embedded Temporal dev server may be restarting).');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    url: `http://${opts.host}:${opts.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
