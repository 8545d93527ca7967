import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Express } from 'express';
import pg from 'pg';
import request from 'supertest';
import { createApp, type AppDeps } from '../../src/api/app';
import { isLoopback } from '../../src/api/codec-router';
import { databaseHealthCheck, temporalHealthCheck, type HealthChecks } from '../../src/api/health';
import { createLogger } from '../../src/api/logger';
import { ProblemError } from '../../src/api/problem';
import { HmacTokenService } from '../../src/api/auth/tokens';
import { loadConfig } from '../../src/config';
import { AesGcmPayloadCodec } from '../../src/temporal/codec';
import { createDataConverter } from '../../src/temporal/data-converter';
import { parseKeyring } from '../../src/temporal/keyring';

const UI_ORIGIN = 'http://localhost:8233';
const ProtoPayload = temporal.api.common.v1.Payload;
const ok = (): Promise<void> => Promise.resolve();
const healthy: HealthChecks = { temporal: ok, database: ok, migrations: () => Promise.resolve([]) };

function build(overrides: Partial<AppDeps> = {}, env: Record<string, string> = {}): { app: Express; logs: string[] } {
  const logs: string[] = [];
  const config = loadConfig({ NODE_ENV: 'test', API_BODY_LIMIT: '1kb', CODEC_CORS_ORIGINS: UI_ORIGIN, ...env });
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(line) } });
  const app = createApp({ config, logger, health: healthy, ...overrides });
  return { app, logs };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Body {
  [member: string]: unknown;
  failing?: string[];
  detail?: string;
  title?: string;
  requestId?: string;
  checks?: Record<string, unknown>;
  payloads?: Array<Record<string, unknown>>;
  errors?: Array<{ path: string; message: string }>;
}
const body = (res: request.Response): Body => res.body as Body;
// Jest's asymmetric matchers are typed `any`; these keep the lint rules on unsafe any quiet.
const anyString: unknown = expect.any(String);
const stringContainingK1: unknown = expect.stringContaining('"k1"');
const reasonMatcher: unknown = expect.stringMatching(/^(unavailable|timeout)$/);

const expectProblem = (res: request.Response, status: number): void => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: 'about:blank', status, title: anyString });
  expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
};

describe('health and readiness', () => {
  it('GET /health answers 200 while the process is alive', async () => {
    const res = await request(build().app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  describe('with the real test stack', () => {
    const adminUrl = process.env.TEST_PG_ADMIN_URL;
    const temporalAddress = process.env.TEST_TEMPORAL_ADDRESS;
    let connection: Connection | undefined;
    let pool: pg.Pool | undefined;

    beforeAll(async () => {
      if (temporalAddress) connection = await Connection.connect({ address: temporalAddress });
      if (adminUrl) pool = new pg.Pool({ connectionString: adminUrl, max: 1 });
    });
    afterAll(async () => {
      await connection?.close();
      await pool?.end();
    });

    it('GET /ready is 200 when Temporal, PostgreSQL and migrations are fine', async () => {
      if (!adminUrl) throw new Error('TEST_PG_ADMIN_URL is not set: the global setup did not run');
      const health: HealthChecks = {
        temporal: connection
          ? temporalHealthCheck(connection, { namespace: process.env.TEST_TEMPORAL_NAMESPACE ?? 'default' })
          : ok,
        database: databaseHealthCheck(adminUrl),
        migrations: () => Promise.resolve([]),
      };
      const res = await request(build({ health }).app).get('/ready');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'ready',
        checks: { temporal: { status: 'ok' }, database: { status: 'ok' }, migrations: { status: 'ok' } },
      });
    });

    it('databaseHealthCheck works through a pool too', async () => {
      await expect(databaseHealthCheck(pool!)()).resolves.toBeUndefined();
    });

    it('temporalHealthCheck without a namespace uses GetSystemInfo', async () => {
      if (!connection) return; // covered by the closed-port test below when no dev server runs
      await expect(temporalHealthCheck(connection)()).resolves.toBeUndefined();
    });

    it('temporalHealthCheck fails for a namespace that does not exist', async () => {
      if (!connection) return;
      await expect(temporalHealthCheck(connection, { namespace: `missing-${Date.now()}` })()).rejects.toThrow();
    });
  });

  it('GET /ready is 503 naming every failing dependency, with generic reasons', async () => {
    const port = await closedPort();
    const secretUrl = `postgres://pis:s3cr3t-pw@127.0.0.1:${port}/pis`;
    // No retry interceptor: the SDK's would keep retrying UNAVAILABLE after the test closes the channel.
    const connection = Connection.lazy({ address: `127.0.0.1:${port}`, interceptors: [] });
    try {
      const health: HealthChecks = {
        temporal: temporalHealthCheck(connection, { timeoutMs: 1000 }),
        database: databaseHealthCheck(secretUrl, { timeoutMs: 1000 }),
        migrations: () => Promise.resolve(['20250101000000_init', '20250102000000_cases']),
      };
      const { app, logs } = build({ health, readinessTimeoutMs: 1500 });
      const res = await request(app).get('/ready');
      expectProblem(res, 503);
      expect(body(res).failing).toEqual(['temporal', 'database', 'migrations']);
      expect(body(res).detail).toBe('Failing dependencies: temporal, database, migrations');
      expect(body(res).checks?.temporal).toEqual({ status: 'failing', reason: reasonMatcher });
      expect(body(res).checks?.database).toEqual({ status: 'failing', reason: 'unavailable' });
      expect(body(res).checks?.migrations).toEqual({
        status: 'failing',
        reason: 'pending',
        pending: ['20250101000000_init', '20250102000000_cases'],
      });
      const everything = JSON.stringify(res.body) + logs.join('');
      expect(everything).not.toContain('s3cr3t-pw');
      expect(everything).not.toContain(secretUrl);
    } finally {
      await connection.close();
    }
  });

  it.each(['temporal', 'database', 'migrations'] as const)('names only %s when it alone fails', async (name) => {
    const health: HealthChecks = {
      ...healthy,
      [name]: () => Promise.reject(new Error('connection to 10.0.0.5 refused, password=hunter2')),
    };
    const { app, logs } = build({ health });
    const res = await request(app).get('/ready');
    expectProblem(res, 503);
    expect(body(res).failing).toEqual([name]);
    expect(JSON.stringify(res.body) + logs.join('')).not.toMatch(/hunter2|10\.0\.0\.5/);
  });

  it('time-boxes a check that hangs', async () => {
    const health: HealthChecks = { ...healthy, database: () => new Promise(() => undefined) };
    const started = Date.now();
    const res = await request(build({ health, readinessTimeoutMs: 200 }).app).get('/ready');
    expect(Date.now() - started).toBeLessThan(2000);
    expectProblem(res, 503);
    expect(body(res).checks?.database).toEqual({ status: 'failing', reason: 'timeout' });
  });
});

describe('errors as problem+json', () => {
  const mount: AppDeps['mount'] = (app) => {
    app.post('/echo', (req, res) => {
      res.json({ received: Object.keys(req.body as object).length });
    });
    app.get('/boom', () => {
      throw new Error('Cannot save case for Mario Rossi RSSMRA80A01H501U');
    });
    app.get('/async-boom', async () => {
      await Promise.resolve();
      throw new TypeError('x is undefined in Giulia Bianchi');
    });
    app.get('/invalid', () => {
      throw new ProblemError(422, { detail: 'The case is closed', errors: [{ path: 'status', message: 'closed' }] });
    });
  };

  it('unknown route ⇒ 404', async () => {
    const res = await request(build().app).get('/nowhere');
    expectProblem(res, 404);
    expect(body(res).detail).toBe('No route for GET /nowhere');
  });

  it('malformed JSON ⇒ 400', async () => {
    const res = await request(build({ mount }).app).post('/echo').set('Content-Type', 'application/json').send('{"a": ');
    expectProblem(res, 400);
    expect(body(res).title).toBe('Malformed JSON');
  });

  it('body over the configured limit ⇒ 413', async () => {
    const res = await request(build({ mount }).app).post('/echo').send({ text: 'x'.repeat(2048) });
    expectProblem(res, 413);
    expect(body(res).detail).toMatch(/exceeds the limit of 1024 bytes/);
  });

  it('a body under the limit is accepted', async () => {
    const res = await request(build({ mount }).app).post('/echo').send({ a: 1, b: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: 2 });
  });

  it.each(['/boom', '/async-boom'])('unexpected error on %s ⇒ 500 with a generic detail; message not logged', async (route) => {
    const { app, logs } = build({ mount });
    const res = await request(app).get(route);
    expectProblem(res, 500);
    expect(body(res).detail).toMatch(/^An unexpected error occurred/);
    expect(body(res).requestId).toBe(res.headers['x-request-id']);
    const everything = JSON.stringify(res.body) + logs.join('');
    expect(everything).not.toMatch(/Mario|RSSMRA|Giulia/);
    const errorLine = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'unexpected error');
    expect(errorLine).toMatchObject({ level: 50, reqId: res.headers['x-request-id'], err: { type: anyString } });
  });

  it('a ProblemError keeps its status, detail and field errors', async () => {
    const res = await request(build({ mount }).app).get('/invalid');
    expectProblem(res, 422);
    expect(res.body).toMatchObject({ detail: 'The case is closed', errors: [{ path: 'status', message: 'closed' }] });
  });
});

describe('request ids and logs', () => {
  it('echoes a sane X-Request-Id and uses it in the logs', async () => {
    const { app, logs } = build();
    const res = await request(app).get('/nowhere').set('X-Request-Id', 'req-12345678');
    expect(res.headers['x-request-id']).toBe('req-12345678');
    expect(body(res).requestId).toBe('req-12345678');
    expect(logs.some((l) => (JSON.parse(l) as { req?: { id?: string } }).req?.id === 'req-12345678')).toBe(true);
  });

  it.each([['with spaces and <script>'], ['x'.repeat(300)], ['short']])('replaces an insane X-Request-Id (%#)', async (bad) => {
    const res = await request(build().app).get('/health').set('X-Request-Id', bad);
    expect(res.headers['x-request-id']).not.toBe(bad);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('generates one when absent', async () => {
    const res = await request(build().app).get('/health');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs method, path, status and id; never bodies, query strings or auth headers', async () => {
    const mount: AppDeps['mount'] = (app) => {
      app.post('/cases', (_req, res) => {
        res.status(201).json({ ok: true });
      });
    };
    const { app, logs } = build({ mount });
    await request(app)
      .post('/cases?fiscalCode=RSSMRA80A01H501U')
      .set('Authorization', 'Bearer tok-very-secret')
      .set('Cookie', 'session=cookie-secret')
      .send({ name: 'Mario Rossi' })
      .expect(201);
    const text = logs.join('');
    expect(text).not.toMatch(/RSSMRA|tok-very-secret|cookie-secret|Mario/);
    const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request completed');
    expect(line).toMatchObject({ level: 30, req: { method: 'POST', path: '/cases', id: anyString }, res: { statusCode: 201 } });
    expect(line).toHaveProperty('responseTime');
  });
});

describe('codec endpoint', () => {
  const keyring = parseKeyring(`k1:${randomBytes(32).toString('base64')}`);
  const toJson = (p: Payload) => ProtoPayload.toObject(ProtoPayload.fromObject(p), { bytes: String });
  const fromJson = (o: Record<string, unknown>): Payload => ProtoPayload.fromObject(o);
  const values = ['Mario Rossi', { caseId: 'c-7', minor: true }, 12, null];
  const codecApp = (overrides: Partial<AppDeps> = {}, env: Record<string, string> = {}) =>
    build({ codec: { keyring, authorize: () => true }, ...overrides }, env).app;

  it('encodes and decodes proto3-JSON payloads as the Temporal UI sends them', async () => {
    const app = codecApp();
    const plain = values.map((v) => toJson(defaultPayloadConverter.toPayload(v)));
    const encoded = await request(app).post('/codec/encode').set('X-Namespace', 'default').send({ payloads: plain });
    expect(encoded.status).toBe(200);
    const encrypted = body(encoded).payloads as Array<Record<string, Record<string, string>>>;
    expect(encrypted).toHaveLength(values.length);
    expect(Buffer.from(encrypted[0]!.metadata!.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(encrypted[0]!.metadata!['encryption-key-id']!, 'base64').toString()).toBe('k1');

    const decoded = await request(app).post('/codec/decode').set('X-Namespace', 'default').send({ payloads: encrypted });
    expect(decoded.status).toBe(200);
    const back = (body(decoded).payloads as Array<Record<string, unknown>>).map((p) => defaultPayloadConverter.fromPayload(fromJson(p)));
    expect(back).toEqual(values);
  });

  it('decodes what workers encrypted, under a namespace path too, and passes plain payloads through', async () => {
    const sealed = await new AesGcmPayloadCodec(keyring).encode([defaultPayloadConverter.toPayload('from worker')]);
    const plain = toJson(defaultPayloadConverter.toPayload('plain'));
    const res = await request(codecApp()).post('/codec/default/decode').send({ payloads: [...sealed.map(toJson), plain] });
    expect(res.status).toBe(200);
    const [first, second] = body(res).payloads as Array<Record<string, unknown>>;
    expect(defaultPayloadConverter.fromPayload(fromJson(first!))).toBe('from worker');
    expect(second).toEqual(plain);
  });

  it('decodes a payload that a client with our data converter stored in Temporal history', async () => {
    const address = process.env.TEST_TEMPORAL_ADDRESS;
    if (!address) return; // needs the shared dev server
    const namespace = process.env.TEST_TEMPORAL_NAMESPACE ?? 'default';
    const connection = await Connection.connect({ address });
    try {
      const client = new Client({ connection, namespace, dataConverter: createDataConverter(keyring) });
      const workflowId = `codec-endpoint-${randomBytes(6).toString('hex')}`;
      // No worker needed: the input is written to history when the workflow starts.
      const handle = await client.workflow.start('noSuchWorkflow', {
        taskQueue: `codec-endpoint-${workflowId}`,
        workflowId,
        args: [{ person: 'Mario Rossi' }],
      });
      try {
        const history = await connection.workflowService.getWorkflowExecutionHistory({ namespace, execution: { workflowId } });
        const stored = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
        expect(stored).toBeDefined();
        expect(Buffer.from(stored!.metadata!.encoding!).toString()).toBe('binary/encrypted');
        expect(Buffer.from(stored!.data!).toString('latin1')).not.toContain('Mario');

        const res = await request(codecApp()).post('/codec/decode').set('X-Namespace', namespace).send({ payloads: [toJson(stored!)] });
        expect(res.status).toBe(200);
        expect(defaultPayloadConverter.fromPayload(fromJson(body(res).payloads![0]!))).toEqual({ person: 'Mario Rossi' });
      } finally {
        await handle.terminate('test done');
      }
    } finally {
      await connection.close();
    }
  });

  it('a tampered payload ⇒ 422 problem naming the key id', async () => {
    const [sealed] = await new AesGcmPayloadCodec(keyring).encode([defaultPayloadConverter.toPayload('x')]);
    const data = Buffer.from(sealed!.data as Uint8Array);
    data[20]! ^= 1;
    const res = await request(codecApp()).post('/codec/decode').send({ payloads: [toJson({ ...sealed, data })] });
    expectProblem(res, 422);
    expect(res.body).toMatchObject({ reason: 'tampered', detail: stringContainingK1 });
  });

  it('a body that is not { payloads } or not base64 ⇒ 400', async () => {
    expectProblem(await request(codecApp()).post('/codec/decode').send({ nope: [] }), 400);
    const res = await request(codecApp()).post('/codec/decode').send({ payloads: [{ data: 'not base64!' }] });
    expectProblem(res, 400);
    expect(body(res).errors?.[0]?.path).toBe('payloads.0.data');
    expectProblem(await request(codecApp()).post('/codec/decode').set('X-Namespace', 'bad ns!').send({ payloads: [] }), 400);
  });

  it('GET ⇒ 405', async () => {
    expectProblem(await request(codecApp()).get('/codec/decode'), 405);
  });

  it('answers a CORS preflight from a configured origin', async () => {
    const res = await request(codecApp())
      .options('/codec/decode')
      .set('Origin', UI_ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-namespace,authorization');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(res.headers['access-control-allow-headers']).toMatch(/X-Namespace/i);
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/i);
    expect(res.headers.vary).toMatch(/Origin/);
  });

  it('refuses a preflight from another origin and gives it no CORS headers', async () => {
    const res = await request(codecApp())
      .options('/codec/decode')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expectProblem(res, 403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('adds CORS headers to actual requests (and their errors) from the configured origin', async () => {
    const app = codecApp({ codec: { keyring, authorize: () => false } });
    const res = await request(app).post('/codec/decode').set('Origin', UI_ORIGIN).send({ payloads: [] });
    expectProblem(res, 403);
    expect(res.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
  });

  it('unauthorized ⇒ 403; a hook can answer 401 by throwing a ProblemError', async () => {
    const denied = codecApp({ codec: { keyring, authorize: () => false } });
    expectProblem(await request(denied).post('/codec/decode').send({ payloads: [] }), 403);
    expectProblem(await request(denied).post('/codec/encode').send({ payloads: [] }), 403);

    const unauthenticated = codecApp({
      codec: {
        keyring,
        authorize: (req) => {
          if (req.get('Authorization') === undefined) throw new ProblemError(401, { detail: 'A bearer token is required' });
          return Promise.resolve(true);
        },
      },
    });
    expectProblem(await request(unauthenticated).post('/codec/decode').send({ payloads: [] }), 401);
    const withToken = await request(unauthenticated).post('/codec/decode').set('Authorization', 'Bearer t').send({ payloads: [] });
    expect(withToken.status).toBe(200);
    expect(body(withToken)).toEqual({ payloads: [] });
  });

  it('by default admits loopback callers outside production and nobody in production', async () => {
    const dev = build({ codec: { keyring } }).app;
    expect((await request(dev).post('/codec/decode').send({ payloads: [] })).status).toBe(200);
    const prod = build(
      { codec: { keyring } },
      { NODE_ENV: 'production', DATABASE_URL: 'postgres://x@localhost/x', TEMPORAL_ADDRESS: 'x:7233', CODEC_KEYS: 'k', AUTH_TOKEN_SECRET: 'x'.repeat(32) },
    ).app;
    expectProblem(await request(prod).post('/codec/decode').send({ payloads: [] }), 403);
  });

  it('in production answers only a coordinator or admin token: anonymous 401, other roles 403, bad token 401', async () => {
    const tokens = new HmacTokenService('s'.repeat(40), 600);
    const prod = build(
      { codec: { keyring, verifier: tokens } },
      { NODE_ENV: 'production', DATABASE_URL: 'postgres://x@localhost/x', TEMPORAL_ADDRESS: 'x:7233', CODEC_KEYS: 'k', AUTH_TOKEN_SECRET: 'x'.repeat(32) },
    ).app;
    const call = (auth?: string) => {
      const r = request(prod).post('/codec/decode');
      return (auth === undefined ? r : r.set('Authorization', auth)).send({ payloads: [] });
    };
    // Anonymous, even from this machine (supertest connects over loopback).
    expectProblem(await call(), 401);
    expectProblem(await call('Bearer not-a-token'), 401);
    expectProblem(await call('Basic abc'), 401);
    const operator = await tokens.issue({ userId: 'u-op', role: 'emergency_operator' });
    expectProblem(await call(`Bearer ${operator.token}`), 403);
    const intake = await tokens.issue({ userId: 'u-in', role: 'intake_operator' });
    expectProblem(await call(`Bearer ${intake.token}`), 403);
    for (const role of ['coordinator', 'admin'] as const) {
      const { token } = await tokens.issue({ userId: `u-${role}`, role });
      const res = await call(`Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(body(res)).toEqual({ payloads: [] });
    }
  });

  it('in development also admits loopback callers without a token, but still refuses a wrong role', async () => {
    const tokens = new HmacTokenService('s'.repeat(40), 600);
    const dev = build({ codec: { keyring, verifier: tokens } }).app;
    expect((await request(dev).post('/codec/decode').send({ payloads: [] })).status).toBe(200);
    const operator = await tokens.issue({ userId: 'u-op', role: 'emergency_operator' });
    expectProblem(await request(dev).post('/codec/decode').set('Authorization', `Bearer ${operator.token}`).send({ payloads: [] }), 403);
  });

  it('recognises loopback addresses only', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['10.0.0.1', '::ffff:192.168.1.1', '::2', '', undefined].map(isLoopback)).toEqual([false, false, false, false, false]);
  });
});
