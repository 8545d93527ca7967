import net from 'node:net';

/**
 * A free TCP port for an embedded service started by tests, scripts or the bench. It is taken
 * below the kernel's ephemeral range (32768 and up on Linux), not from `listen(0)`: a service that
 * picks its own internal ports with `listen(0)` (the Temporal dev server does, for its internal
 * services) can otherwise draw the very port just handed out, before it is bound. Ports handed out
 * by this process are not handed out again.
 */
const LOWEST = 20_000;
const HIGHEST = 32_000;
const handedOut = new Set<number>();

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST));
    if (handedOut.has(port) || !(await canListen(port, host))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${HIGHEST} on ${host}`);
}
