import http from 'node:http';
import net from 'node:net';
import type { Express } from 'express';
import { StartupError } from './errors';

export interface HttpServerHandle {
  url: string;
  /**
   * Stops accepting connections, lets running requests finish (up to `graceMs`), then closes the
   * rest. Connections already accepted are not cut: a request that reached the server is answered
   * (with `Connection: close`).
   */
  close(graceMs?: number): Promise<void>;
}

export async function listen(app: Express, host: string, port: number): Promise<HttpServerHandle> {
  const server = http.createServer(app);
  let draining = false;
  // Runs before the app: once draining, every answer closes its connection.
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new StartupError(`Port ${port} on ${host} is already in use (the HTTP API): set API_PORT to a free port.`)
          : new StartupError(`The HTTP API cannot listen on ${host}:${port} (API_HOST/API_PORT): ${err.code ?? err.message}`),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        draining = true;
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        // Idle keep-alive sockets would hold the close open; a socket accepted a moment ago whose
        // request is still being read looks idle too, so they are closed after a short delay,
        // not at once (http.Server#close would, and reset such a request).
        const idle = setInterval(() => server.closeIdleConnections(), 500);
        // net.Server#close: stop listening without http.Server#close's immediate idle sweep.
        net.Server.prototype.close.call(server, (err?: Error) => {
          clearTimeout(force);
          clearInterval(idle);
          if (err) reject(err);
          else resolve();
        });
      }),
  };
}
