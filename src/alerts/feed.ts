import { Client } from 'pg';
import type { Logger } from 'pino';
import type { ChangeEvent, PrismaClient } from '../generated/prisma/client';
import { CHANGE_CHANNEL } from './change-events';

/**
 * One per API process: a dedicated PostgreSQL connection LISTENs on `pis_changes`; on each NOTIFY
 * (and every `pollMs` as a safety net) it reads the ChangeEvent rows past the last one it saw, in
 * id order, and hands them to the subscribers (the open `GET /api/events` streams). The connection
 * reconnects by itself with backoff and catches up from the last id it saw, so an event is never
 * lost between processes; a client that reconnects replays from its `Last-Event-ID`.
 */
export interface FeedSubscriber {
  deliver(rows: readonly ChangeEvent[]): void;
  /** The feed stops (process shutdown): end the stream. */
  close(): void;
}

export interface ChangeFeedOptions {
  databaseUrl: string;
  prisma: PrismaClient;
  logger: Logger;
  /** Read even without a NOTIFY this often, ms (default 10 s). */
  pollMs?: number;
  /** Rows older than this are deleted (default 24 h); checked hourly. */
  retentionHours?: number;
}

const BATCH = 500;
/** At most this many events are replayed to a reconnecting client; beyond, it is told to reload. */
export const MAX_REPLAY = 1000;

export class ChangeFeed {
  private readonly subscribers = new Set<FeedSubscriber>();
  private listener: Client | undefined;
  private lastId = 0n;
  /** False until the last id at start is known (the database may be down when the API starts). */
  private baselineKnown = false;
  private reading: Promise<void> | undefined;
  private readAgain = false;
  private stopped = false;
  private attempt = 0;
  private timers: NodeJS.Timeout[] = [];
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: ChangeFeedOptions) {
    this.log = opts.logger.child({ component: 'change-feed' });
  }

  /** The id of the last event this process has seen (the baseline of a new stream). */
  get latestId(): bigint {
    return this.lastId;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  async start(): Promise<void> {
    await this.readBaseline().catch((err: unknown) => this.log.warn({ errorClass: errorClass(err) }, 'change feed: database not reachable yet'));
    await this.connect().catch((err: unknown) => {
      this.log.warn({ errorClass: errorClass(err) }, 'change feed: LISTEN connection failed, retrying');
      this.scheduleReconnect();
    });
    const poll = setInterval(() => this.poke(), this.opts.pollMs ?? 10_000);
    const prune = setInterval(() => void this.prune(), 3_600_000);
    poll.unref();
    prune.unref();
    this.timers.push(poll, prune);
  }

  subscribe(sub: FeedSubscriber): () => void {
    this.subscribers.add(sub);
    return () => this.subscribers.delete(sub);
  }

  /** Events after `afterId`, oldest first, at most `limit`. */
  replay(afterId: bigint, limit = MAX_REPLAY): Promise<ChangeEvent[]> {
    return this.opts.prisma.changeEvent.findMany({ where: { id: { gt: afterId } }, orderBy: { id: 'asc' }, take: limit });
  }

  /** Ends every stream and the LISTEN connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    for (const sub of [...this.subscribers]) sub.close();
    this.subscribers.clear();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.reading?.catch(() => undefined);
  }

  /** Test hook: drops the LISTEN connection as a network failure would (it reconnects by itself). */
  dropConnectionForTest(): void {
    this.listener?.emit('error', new Error('connection dropped (test)'));
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.opts.databaseUrl, application_name: 'pis-change-feed' });
    client.on('notification', () => this.poke());
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, undefined));
    await client.connect();
    if (this.stopped) {
      await client.end();
      return;
    }
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    this.listener = client;
    if (this.attempt > 0) this.log.info({ attempts: this.attempt }, 'change feed: LISTEN connection restored');
    this.attempt = 0;
    // Whatever was committed while not listening.
    this.poke();
  }

  private lost(client: Client, err: unknown): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.log.warn({ errorClass: err === undefined ? 'ended' : errorClass(err) }, 'change feed: LISTEN connection lost, reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = Math.min(250 * 2 ** this.attempt, 10_000);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.connect().catch((err: unknown) => {
        this.log.warn({ errorClass: errorClass(err), attempt: this.attempt }, 'change feed: reconnect failed');
        this.scheduleReconnect();
      });
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Reads new rows; one read at a time, another right after if poked meanwhile. */
  private poke(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readNew()
      .catch((err: unknown) => this.log.warn({ errorClass: errorClass(err) }, 'change feed: read failed (retried at the next notification or poll)'))
      .finally(() => {
        this.reading = undefined;
        if (this.readAgain) {
          this.readAgain = false;
          this.poke();
        }
      });
  }

  private async readBaseline(): Promise<void> {
    const last = await this.opts.prisma.changeEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    this.lastId = last?.id ?? 0n;
    this.baselineKnown = true;
  }

  private async readNew(): Promise<void> {
    if (!this.baselineKnown) {
      await this.readBaseline();
      return;
    }
    for (;;) {
      const rows = await this.replay(this.lastId, BATCH);
      if (rows.length === 0 || this.stopped) return;
      this.lastId = rows[rows.length - 1]?.id ?? this.lastId;
      for (const sub of [...this.subscribers]) {
        try {
          sub.deliver(rows);
        } catch (err) {
          this.log.warn({ errorClass: errorClass(err) }, 'change feed: a stream failed to take events; closing it');
          sub.close();
        }
      }
      if (rows.length < BATCH) return;
    }
  }

  private async prune(): Promise<void> {
    const before = new Date(Date.now() - (this.opts.retentionHours ?? 24) * 3_600_000);
    await this.opts.prisma.changeEvent.deleteMany({ where: { at: { lt: before } } }).catch((err: unknown) => {
      this.log.warn({ errorClass: errorClass(err) }, 'change feed: pruning old events failed');
    });
  }
}

function errorClass(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${err.name} ${code}` : err.name;
  }
  return typeof err;
}
