import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ChangeFeed } from '../../src/alerts/feed';
import { createLogger } from '../../src/api/logger';
import { type ApiHarness, activeTask, bearer, createCase, eventually, startApiHarness, sundayReport } from './api-harness';
import { connectSse, type SseClient } from '../helpers/sse';

/**
 * The push stream across API processes: two apps, each with its own change feed (its own
 * LISTEN connection), over one database and one worker. What happens through API #1 reaches a
 * client of API #2; a client that reconnects with Last-Event-ID gets what it missed; a social
 * worker never hears of another Comune's cases.
 */
let h: ApiHarness;
const feeds: ChangeFeed[] = [];
const servers: http.Server[] = [];
const clients: SseClient[] = [];
let api1: string;
let api2: string;

async function startApi(): Promise<{ url: string; feed: ChangeFeed }> {
  const feed = new ChangeFeed({ databaseUrl: h.db.url, prisma: h.prisma, logger: createLogger({ level: 'silent' }) });
  await feed.start();
  feeds.push(feed);
  const config = { ...h.deps.config, alerts: { ...h.deps.config.alerts, heartbeatSeconds: 1 } };
  const server = http.createServer(h.appWith({ events: feed, config }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, feed };
}

async function stream(base: string, user: Parameters<typeof bearer>[1], lastEventId?: string): Promise<SseClient> {
  const c = await connectSse(`${base}/api/events`, h.tokens[user] as string, lastEventId);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  h = await startApiHarness('alerts_events');
  api1 = (await startApi()).url;
  api2 = (await startApi()).url;
});

afterAll(async () => {
  for (const c of clients) c.close();
  for (const f of feeds) await f.stop();
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
  await h?.close();
});

describe('GET /api/events', () => {
  it('needs a token', async () => {
    const res = await fetch(`${api1}/api/events`);
    expect(res.status).toBe(401);
  });

  it('a case reported through API #1 reaches an operator streaming from API #2, with ids and codes only, and heartbeats', async () => {
    const op = await stream(api2, 'operatore1');
    expect(op.status).toBe(200);
    await op.waitFor('ready', (e) => e.event === 'ready');
    const created = await request(api1).post('/api/cases').set(...bearer(h, 'intake')).send(sundayReport());
    expect(created.status).toBe(201);
    const caseId = (created.body as { caseId: string }).caseId;
    const available = await op.waitFor('task.available', (e) => e.event === 'task.available' && e.data.caseId === caseId);
    expect(available.data).toEqual({
      caseId,
      taskId: `${caseId}-t1`,
      type: 'take_charge',
      status: 'open',
      candidateRole: 'emergency_operator',
      comuneCode: null,
      assigneeId: null,
    });
    expect(available.id).toMatch(/^\d+$/);
    const changed = await op.waitFor('case.changed', (e) => e.event === 'case.changed' && e.data.caseId === caseId);
    expect(changed.data).toEqual({ caseId });
    // No personal data of the report anywhere in the stream.
    expect(JSON.stringify(op.events)).not.toMatch(/Mario|Senzatetto|Piazza|Bianchi/);
    // Operators are not supervisors: no summary events.
    expect(op.events.some((e) => e.event === 'summary.changed')).toBe(false);
    expect(await op.waitForComment()).toBe('heartbeat');
  });

  it('a coordinator going on duty through API #1 is seen by another coordinator stream on API #2', async () => {
    const coord = await stream(api2, 'coordinatore');
    await coord.waitFor('ready', (e) => e.event === 'ready');
    const res = await request(api1).put('/api/me/duty').set(...bearer(h, 'coordinatore')).send({ onDuty: true });
    expect(res.status).toBe(200);
    await coord.waitFor('duty.changed', (e) => e.event === 'duty.changed' && e.data.userId === 'u-coord');
  });

  it('replays what a client missed after Last-Event-ID, and nothing before it', async () => {
    const caseId = await createCase(h);
    const op = await stream(api1, 'operatore1');
    await op.waitFor('ready', (e) => e.event === 'ready');
    const task = await activeTask(h, caseId, 'take_charge');
    // The stream may or may not have seen the task appear, depending on timing: wait for the case.
    await op.waitFor('case event', (e) => e.data.caseId === caseId);
    const seen = op.lastId();
    expect(seen).toBeDefined();
    op.close();
    await op.ended;

    // While disconnected, the task is claimed, and the read model (with its change event) written.
    expect((await request(api1).post(`/api/tasks/${task.id}/claim`).set(...bearer(h, 'operatore1'))).status).toBe(200);
    await eventually('the claim in the read model', async () => ((await h.prisma.task.findUnique({ where: { id: task.id } }))?.assigneeId ? true : undefined));

    const again = await stream(api2, 'operatore1', seen);
    const claimed = await again.waitFor('the missed claim', (e) => e.event === 'task.changed' && e.data.taskId === task.id && e.data.status === 'claimed');
    expect(claimed.data.assigneeId).toBe('u-op1');
    const ready = again.events.find((e) => e.event === 'ready');
    expect(ready?.id).toBe(seen);
    // Nothing at or before the id it had.
    for (const e of again.events) if (e.event !== 'ready' && e.id !== undefined) expect(BigInt(e.id) > BigInt(seen as string)).toBe(true);
  });

  it('a social worker does not receive the events of another Comune', async () => {
    const rho = await stream(api1, 'as.rho');
    const lainate = await stream(api2, 'as.lainate');
    await rho.waitFor('ready', (e) => e.event === 'ready');
    await lainate.waitFor('ready', (e) => e.event === 'ready');
    const rhoCase = await createCase(h, sundayReport({ eventComuneCode: '015182', residenceComuneCode: '015182' }));
    await rho.waitFor('the Rho case', (e) => e.event === 'case.changed' && e.data.caseId === rhoCase);
    // A Lainate case afterwards: once Lainate's worker sees it, it has been sent everything before.
    const lainateCase = await createCase(h, sundayReport({ eventComuneCode: '015116', residenceComuneCode: '015116', eventAddress: 'Via Roma 1, Lainate' }));
    await lainate.waitFor('the Lainate case', (e) => e.event === 'case.changed' && e.data.caseId === lainateCase);
    expect(lainate.events.some((e) => e.data.caseId === rhoCase)).toBe(false);
    expect(rho.events.some((e) => e.data.caseId === lainateCase)).toBe(false);
  });

  it('a feed whose LISTEN connection drops reconnects by itself and catches up', async () => {
    const op = await stream(api2, 'operatore2');
    await op.waitFor('ready', (e) => e.event === 'ready');
    const feed2 = feeds[1] as ChangeFeed;
    feed2.dropConnectionForTest();
    const caseId = await createCase(h);
    await op.waitFor('task.available after the drop', (e) => e.event === 'task.available' && e.data.caseId === caseId);
  });

  it('ends open streams when the feed stops (shutdown)', async () => {
    const { url, feed } = await startApi();
    const op = await stream(url, 'operatore1');
    await op.waitFor('ready', (e) => e.event === 'ready');
    await feed.stop();
    await op.ended;
    expect(feed.subscriberCount).toBe(0);
  });

  it('refuses a malformed Last-Event-ID with 400 naming the header', async () => {
    const res = await fetch(`${api1}/api/events`, { headers: { Authorization: `Bearer ${h.tokens.operatore1}`, 'Last-Event-ID': 'abc' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('Last-Event-ID');
  });
});
