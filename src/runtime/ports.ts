import net from 'node:net';
import { StartupError } from './errors';

export interface PortClaim {
  host: string;
  port: number;
  /** The setting that chooses this port, named in the error. */
  setting: string;
  /** What would listen there, e.g. "the embedded PostgreSQL". */
  purpose: string;
}

/**
 * Fails before anything is started when a port is taken, naming the setting that moves it.
 * (A later bind can still lose a race; the listeners report that too, less readably.)
 */
export async function assertPortsFree(claims: readonly PortClaim[]): Promise<void> {
  const seen = new Map<number, PortClaim>();
  for (const claim of claims) {
    const other = seen.get(claim.port);
    if (other) {
      throw new StartupError(`${claim.setting} and ${other.setting} are both ${claim.port}: each service needs its own port.`);
    }
    seen.set(claim.port, claim);
  }
  const problems = (await Promise.all(claims.map(async (c) => describeBindFailure(c, await tryBind(c.host, c.port))))).filter(
    (p): p is string => p !== undefined,
  );
  if (problems.length > 0) throw new StartupError(problems.join('\n'));
}

function describeBindFailure(c: PortClaim, code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  if (code === 'EADDRINUSE') {
    return `Port ${c.port} on ${c.host} is already in use (wanted by ${c.purpose}): stop whatever uses it or set ${c.setting} to a free port.`;
  }
  if (code === 'EACCES') return `Not allowed to listen on port ${c.port} (${c.setting}, ${c.purpose}): choose a port above 1023.`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `Cannot listen on ${c.host} (${c.purpose}): no such local address.`;
  return `Cannot listen on ${c.host}:${c.port} (${c.setting}, ${c.purpose}): ${code}.`;
}

/** `undefined` when the port can be bound, else the error code. */
function tryBind(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
