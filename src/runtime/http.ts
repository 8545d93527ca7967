import http from 'node:http';
import type { Express } from 'express';
import { StartupError } from './errors';

export interface HttpServerHandle {
  url: string;
  /** Stops accepting connections, lets running requests finish (up to `graceMs`), then closes the rest. */
  close(graceMs?: number): Promise<void>;
}

export async function listen(app: Express, host: string, port: number): Promise<HttpServerHandle> {
  const server = http.createServer(app);
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
    close: (graceMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close((err) => {
          clearTimeout(force);
          if (err) reject(err);
          else resolve();
        });
        // Keep-alive sockets with no request in flight would hold `close` open until they time out.
        server.closeIdleConnections();
      }),
  };
}
