import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Actor } from '../domain';
import type { ChangeEvent } from '../generated/prisma/client';
import type { CaseEventData, DutyEventData, LiveEventName, TaskEventData } from '../contract/alerts';
import type { Role } from '../domain';
import { can, canSeeCase } from '../api/authorization';
import { InvalidTokenError, type TokenService, type TokenVerifier } from '../api/auth';
import { ProblemError } from '../api/problem';
import { actorOf, tokenOf } from '../api/routes/context';
import type { PrismaClient } from '../generated/prisma/client';
import { type ChangeFeed, MAX_REPLAY } from './feed';

/**
 * `GET /api/events`: Server-Sent Events for the signed-in user. The console reads it with
 * `fetch` (a `ReadableStream`), not `EventSource`, so the Bearer token travels in the
 * Authorization header as on every other request: no token in a URL (server logs, browser
 * history, Referer), no second credential (a ticket) to issue and expire. The stream:
 * - starts with `ready` (its id is the baseline), then replays what followed `Last-Event-ID`
 *   (at most MAX_REPLAY events, else one `reset`: reload everything);
 * - filters every event by the actor's visibility (`canSeeCase`) and role;
 * - sends a heartbeat comment every EVENTS_HEARTBEAT_SECONDS, and re-checks the token then
 *   (expired, revoked or user disabled ⇒ the stream ends);
 * - is bounded: a client that does not read (more than MAX_BUFFERED_BYTES queued) is cut off and
 *   replays from its last id when it comes back;
 * - ends cleanly on shutdown (ChangeFeed#stop).
 */
export const MAX_BUFFERED_BYTES = 256 * 1024;

export interface EventsRouterDeps {
  feed: ChangeFeed | undefined;
  auth: TokenService | TokenVerifier;
  prisma: PrismaClient;
  logger: Logger;
  heartbeatSeconds: number;
}

interface LiveMessage {
  id: bigint;
  event: LiveEventName;
  data: TaskEventData | CaseEventData | DutyEventData | Record<string, never>;
}

/** The messages one actor gets for one change event (none when it is not theirs to see). */
export function messagesFor(actor: Actor, ev: ChangeEvent): LiveMessage[] {
  if (ev.kind === 'duty') {
    return can(actor, 'supervision.read') && ev.userId ? [{ id: ev.id, event: 'duty.changed', data: { userId: ev.userId } }] : [];
  }
  if (!ev.caseId) return [];
  // A variable, not a literal: the visibility rule may ask for more of the case than it names today.
  const visibleCase = { ambitoId: ev.ambitoId ?? '', eventComuneCode: ev.eventComuneCode ?? '', competentComuneCode: ev.competentComuneCode };
  if (!canSeeCase(actor, visibleCase)) return [];
  if (ev.kind === 'task') {
    if (!can(actor, 'task.list') || !ev.taskId) return [];
    const event: LiveEventName = ev.available ? 'task.available' : ev.taskStatus === 'completed' || ev.taskStatus === 'cancelled' ? 'task.closed' : 'task.changed';
    return [
      {
        id: ev.id,
        event,
        data: {
          caseId: ev.caseId,
          taskId: ev.taskId,
          type: ev.taskType ?? '',
          status: ev.taskStatus ?? '',
          candidateRole: (ev.candidateRole ?? '') as Role,
          comuneCode: ev.taskComuneCode,
          assigneeId: ev.assigneeId,
        },
      },
    ];
  }
  if (ev.kind === 'case') {
    const out: LiveMessage[] = [];
    if (can(actor, 'case.list')) out.push({ id: ev.id, event: 'case.changed', data: { caseId: ev.caseId } });
    if (can(actor, 'supervision.read')) out.push({ id: ev.id, event: 'summary.changed', data: {} });
    return out;
  }
  return [];
}

function format(m: LiveMessage): string {
  return `id: ${m.id}\nevent: ${m.event}\ndata: ${JSON.stringify(m.data)}\n\n`;
}

function lastEventIdOf(req: Request): bigint | undefined {
  const raw = req.get('last-event-id') ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,19}$/.test(raw)) throw new ProblemError(400, { detail: 'Intestazione Last-Event-ID non valida', errors: [{ path: 'Last-Event-ID', message: 'deve essere un numero intero' }] });
  return BigInt(raw);
}

export function eventsRouter(deps: EventsRouterDeps): Router {
  const router = Router();
  router.get('/', (req: Request, res: Response, next) => {
    try {
      const actor = actorOf(res);
      const token = tokenOf(res);
      if (!deps.feed) throw new ProblemError(503, { detail: 'Flusso degli eventi non disponibile', extensions: { code: 'EVENTS_UNAVAILABLE' } });
      const feed = deps.feed;
      const from = lastEventIdOf(req);
      openStream(req, res, { ...deps, feed }, actor, token, from);
    } catch (err) {
      next(err);
    }
  });
  return router;
}

function openStream(req: Request, res: Response, deps: EventsRouterDeps & { feed: ChangeFeed }, actor: Actor, token: string, from: bigint | undefined): void {
  const log = req.log ?? deps.logger;
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  req.socket.setNoDelay(true);
  req.socket.setTimeout(0);

  let lastSent = from ?? deps.feed.latestId;
  let replaying = true;
  const queued: ChangeEvent[] = [];
  let closed = false;

  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  };
  const write = (chunk: string) => {
    if (closed) return;
    res.write(chunk);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      log.warn({ userId: actor.userId }, 'events: client not reading, stream closed (it replays from its last id)');
      close();
    }
  };
  const send = (rows: readonly ChangeEvent[]) => {
    for (const ev of rows) {
      if (ev.id <= lastSent) continue;
      lastSent = ev.id;
      for (const m of messagesFor(actor, ev)) write(format(m));
    }
  };

  const unsubscribe = deps.feed.subscribe({
    deliver: (rows) => {
      if (replaying) queued.push(...rows);
      else send(rows);
    },
    close,
  });
  res.on('close', close);

  const heartbeat = setInterval(() => {
    // Revalidates the token (cached by the verifier): expired, revoked or disabled ⇒ the stream ends.
    deps.auth.verify(token).then(
      () => write(': heartbeat\n\n'),
      (err: unknown) => {
        if (err instanceof InvalidTokenError) {
          write(`event: unauthorized\ndata: {}\n\n`);
          close();
        }
      },
    );
  }, deps.heartbeatSeconds * 1000);

  // Retry delay for EventSource-style clients, then the baseline.
  write(`retry: 2000\n\n`);
  const baseline = lastSent;
  replayFrom(deps, from).then(
    ({ missed, unknown }) => {
      if (closed) return;
      if (missed.length > MAX_REPLAY || unknown) {
        // Too much to replay, or an id from another database: start over from now.
        lastSent = deps.feed.latestId;
        write(`id: ${lastSent}\nevent: reset\ndata: {}\n\n`);
      } else {
        write(`id: ${baseline}\nevent: ready\ndata: {}\n\n`);
        send(missed);
      }
      replaying = false;
      send(queued.splice(0));
    },
    (err: unknown) => {
      log.warn({ errorClass: err instanceof Error ? err.name : typeof err }, 'events: replay failed, stream closed');
      close();
    },
  );
}

/** What followed `from`; `unknown` when `from` lies beyond every event (another database). */
async function replayFrom(deps: EventsRouterDeps & { feed: ChangeFeed }, from: bigint | undefined): Promise<{ missed: ChangeEvent[]; unknown: boolean }> {
  if (from === undefined) return { missed: [], unknown: false };
  const missed = await deps.feed.replay(from, MAX_REPLAY + 1);
  if (missed.length > 0 || from <= deps.feed.latestId) return { missed, unknown: false };
  const last = await deps.prisma.changeEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
  return { missed, unknown: from > (last?.id ?? 0n) };
}
