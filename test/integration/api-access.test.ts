import { SignJWT } from 'jose';
import request from 'supertest';
import { InvalidTokenError, type TokenVerifier } from '../../src/api/auth';
import { DEMO_USERS } from '../../src/db/demo-users';
import { activeTask, type ApiHarness, bearer, createCase, type DemoUsername, startApiHarness, sundayReport, TEST_SECRET } from './api-harness';

/** Authentication, the role × endpoint matrix, Comune scoping, audit, and bad input everywhere. */

let h: ApiHarness;
let caseId: string;
let takeChargeId: string;

beforeAll(async () => {
  h = await startApiHarness('access');
  caseId = await createCase(h);
  takeChargeId = (await activeTask(h, caseId, 'take_charge')).id;
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const USERS: DemoUsername[] = DEMO_USERS.map((u) => u.username);
const UNKNOWN_CASE = '00000000-0000-4000-8000-000000000000';
const unknownTask = () => `${UNKNOWN_CASE}-t1`;

interface Body {
  [k: string]: unknown;
  errors?: Array<{ path: string; message: string }>;
  items?: unknown[];
}
const body = (res: request.Response) => res.body as Body;

function expectProblem(res: request.Response, status: number): void {
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) as unknown });
  expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
}

async function counts() {
  const [cases, notes, submissions, tasks] = await Promise.all([
    h.prisma.case.count(),
    h.prisma.note.count(),
    h.prisma.taskSubmission.count(),
    h.prisma.task.findMany({ select: { id: true, status: true, assigneeId: true }, orderBy: { id: 'asc' } }),
  ]);
  return { cases, notes, submissions, tasks };
}

describe('login', () => {
  it('returns a bearer token and the user for valid credentials', async () => {
    const res = await request(h.app).post('/api/auth/login').send({ username: 'as.rho', password: 'demo-rho-pis' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', user: { id: 'u-as-rho', role: 'social_worker', comuneCode: '015182' } });
    const me = await request(h.app).get('/api/auth/me').set('Authorization', `Bearer ${body(res).token as string}`);
    expect(me.body).toEqual({ id: 'u-as-rho', role: 'social_worker', comuneCode: '015182' });
  });

  it.each([
    ['wrong password', { username: 'intake', password: 'nope' }],
    ['unknown user', { username: 'nobody', password: 'demo-intake-pis' }],
  ])('answers 401 for a %s, and audits it without the username', async (_label, credentials) => {
    const res = await request(h.app).post('/api/auth/login').send(credentials);
    expectProblem(res, 401);
    expect(res.body).not.toHaveProperty('token');
    const audit = await h.prisma.auditEvent.findFirst({ where: { action: 'auth.login', requestId: res.headers['x-request-id'] as string } });
    expect(audit).toMatchObject({ userId: 'unknown', role: 'anonymous', outcome: 'denied' });
  });

  it.each([
    ['an empty body', {}, 422],
    ['wrong types', { username: 42, password: true }, 422],
    ['unknown fields', { username: 'intake', password: 'demo-intake-pis', role: 'admin' }, 422],
    ['a JSON array', [1, 2], 400],
  ])('rejects %s', async (_label, payload, status) => {
    expectProblem(await request(h.app).post('/api/auth/login').send(payload), status);
  });

  it('is rate limited per client after repeated failures', async () => {
    const app = h.appWith({ testing: { loginRateLimit: { windowMs: 60_000, limit: 3 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push((await request(app).post('/api/auth/login').send({ username: 'intake', password: `wrong-${i}` })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await request(app).post('/api/auth/login').send({ username: 'intake', password: 'demo-intake-pis' });
    expectProblem(limited, 429);
  });
});

describe('tokens', () => {
  const secret = new TextEncoder().encode(TEST_SECRET);
  let jti = 0;
  const sign = (claims: Record<string, unknown>, opts: { exp?: number; key?: Uint8Array; iss?: string; sub?: string; iat?: number | null } = {}) => {
    jti += 1;
    const jwt = new SignJWT({ ver: 0, ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(opts.sub ?? 'u-coord')
      .setIssuer(opts.iss ?? 'pis-api')
      .setAudience('pis-api')
      .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 600);
    if (!('jti' in claims)) jwt.setJti(`access-test-${jti}`);
    if (opts.iat !== null) jwt.setIssuedAt(opts.iat ?? Math.floor(Date.now() / 1000));
    return jwt.sign(opts.key ?? secret);
  };

  it('a valid token of our own making is accepted (control)', async () => {
    const res = await request(h.app).get('/api/cases').set('Authorization', `Bearer ${await sign({ role: 'coordinator' })}`);
    expect(res.status).toBe(200);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a Basic scheme', 'Basic dXNlcjpwYXNz'],
    ['a bare token without scheme', 'abc.def.ghi'],
    ['garbage', 'Bearer not-a-token'],
    ['a truncated token', () => sign({ role: 'coordinator' }).then((t) => `Bearer ${t.slice(0, -5)}`)],
    ['a token signed with another key', () => sign({ role: 'coordinator' }, { key: new TextEncoder().encode('x'.repeat(48)) }).then((t) => `Bearer ${t}`)],
    ['an expired token', () => sign({ role: 'coordinator' }, { exp: Math.floor(Date.now() / 1000) - 60 }).then((t) => `Bearer ${t}`)],
    ['another issuer', () => sign({ role: 'coordinator' }, { iss: 'elsewhere' }).then((t) => `Bearer ${t}`)],
    ['an unknown role', () => sign({ role: 'superuser' }).then((t) => `Bearer ${t}`)],
    ['a social worker without Comune', () => sign({ role: 'social_worker' }).then((t) => `Bearer ${t}`)],
    ['a user that does not exist', () => sign({ role: 'coordinator' }, { sub: 'u-nobody' }).then((t) => `Bearer ${t}`)],
    ['a role the user does not have', () => sign({ role: 'admin' }).then((t) => `Bearer ${t}`)],
    ['a stale token version', () => sign({ role: 'coordinator', ver: 1 }).then((t) => `Bearer ${t}`)],
    ['no jti', () => sign({ role: 'coordinator', jti: undefined }).then((t) => `Bearer ${t}`)],
    ['a lifetime over the maximum (13 h)', () => sign({ role: 'coordinator' }, { exp: Math.floor(Date.now() / 1000) + 13 * 3600 }).then((t) => `Bearer ${t}`)],
    ['no iat', () => sign({ role: 'coordinator' }, { iat: null }).then((t) => `Bearer ${t}`)],
    [
      'alg none',
      () => {
        const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        return Promise.resolve(`Bearer ${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'u-coord', role: 'coordinator', iss: 'pis-api', aud: 'pis-api', exp: now + 600 })}.`);
      },
    ],
  ])('rejects %s with 401 and changes nothing', async (_label, header) => {
    const before = await counts();
    const value = typeof header === 'function' ? await header() : header;
    for (const [method, path] of [
      ['get', '/api/cases'],
      ['post', '/api/cases'],
      ['post', `/api/tasks/${takeChargeId}/claim`],
      ['get', '/api/supervision/stuck'],
    ] as const) {
      const req = request(h.app)[method](path);
      if (value !== undefined) req.set('Authorization', value);
      const res = await (method === 'post' ? req.send(sundayReport()) : req);
      expectProblem(res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect(await counts()).toEqual(before);
  });
});

describe('an external identity provider', () => {
  it('plugs in as a TokenVerifier: its actors are authorised by the same matrix, and there is no login', async () => {
    const oidc: TokenVerifier = {
      verify: (token) =>
        token === 'oidc-social-worker-lainate'
          ? Promise.resolve({ userId: 'oidc|42', role: 'social_worker', comuneCode: '015116', ambitoIds: ['rhodense'] })
          : Promise.reject(new InvalidTokenError('invalid')),
    };
    const app = h.appWith({ auth: oidc });
    const me = await request(app).get('/api/auth/me').set('Authorization', 'Bearer oidc-social-worker-lainate');
    expect(me.body).toEqual({ id: 'oidc|42', role: 'social_worker', comuneCode: '015116' });
    expectProblem(await request(app).get(`/api/cases/${caseId}`).set('Authorization', 'Bearer oidc-social-worker-lainate'), 404);
    expectProblem(await request(app).get('/api/cases').set(...bearer(h, 'coordinatore')), 401);
    const login = await request(app).post('/api/auth/login').set('Authorization', 'Bearer oidc-social-worker-lainate').send({ username: 'intake', password: 'demo-intake-pis' });
    expectProblem(login, 404);
  });
});

describe('authorisation matrix: every role × every endpoint', () => {
  // Allowed roles get past the role check and meet the validation (or the real answer);
  // the others get 403. Bodies are invalid on purpose so nothing changes.
  type Row = { name: string; method: 'get' | 'post'; path: () => string; body?: unknown; expect: Record<DemoUsername, number> };
  const all = (status: number): Record<DemoUsername, number> => Object.fromEntries(USERS.map((u) => [u, status]));
  const only = (status: number, users: DemoUsername[]) => ({ ...all(403), ...Object.fromEntries(users.map((u) => [u, status])) }) as Record<DemoUsername, number>;
  const caseWorkers: DemoUsername[] = ['intake', 'operatore1', 'operatore2', 'coordinatore', 'as.rho', 'as.lainate', 'coordinatore.bollate', 'operatore.bollate', 'as.bollate'];
  const taskWorkers: DemoUsername[] = ['operatore1', 'operatore2', 'coordinatore', 'as.rho', 'as.lainate', 'coordinatore.bollate', 'operatore.bollate', 'as.bollate'];
  const coordinators: DemoUsername[] = ['coordinatore', 'coordinatore.bollate'];
  // Outside the case's scope (another Comune, another Ambito): 404, as if the case did not exist.
  const outsideRho = { 'as.lainate': 404, 'coordinatore.bollate': 404, 'operatore.bollate': 404, 'as.bollate': 404 };

  const rows: Row[] = [
    { name: 'POST /api/cases', method: 'post', path: () => '/api/cases', body: {}, expect: only(422, ['intake', ...coordinators]) },
    { name: 'GET /api/cases', method: 'get', path: () => '/api/cases', expect: all(200) },
    // The case happened in Rho: the Lainate social worker is outside its Comune, the Bollatese users outside its Ambito.
    { name: 'GET /api/cases/:id', method: 'get', path: () => `/api/cases/${caseId}`, expect: { ...only(200, caseWorkers), ...outsideRho } },
    { name: 'POST /api/cases/:id/notes', method: 'post', path: () => `/api/cases/${caseId}/notes`, body: {}, expect: only(422, caseWorkers) },
    { name: 'POST /api/cases/:id/cancel', method: 'post', path: () => `/api/cases/${caseId}/cancel`, body: {}, expect: only(422, coordinators) },
    { name: 'POST /api/cases/:id/override-scope', method: 'post', path: () => `/api/cases/${caseId}/override-scope`, body: {}, expect: only(422, coordinators) },
    { name: 'POST /api/cases/:id/move-handover', method: 'post', path: () => `/api/cases/${caseId}/move-handover`, body: {}, expect: only(422, coordinators) },
    { name: 'POST /api/cases/:id/escalate', method: 'post', path: () => `/api/cases/${caseId}/escalate`, body: {}, expect: only(422, ['intake', 'operatore1', 'operatore2', ...coordinators, 'operatore.bollate']) },
    { name: 'GET /api/tasks', method: 'get', path: () => '/api/tasks', expect: only(200, taskWorkers) },
    { name: 'GET /api/tasks/:id', method: 'get', path: () => `/api/tasks/${takeChargeId}`, expect: { ...only(200, taskWorkers), ...outsideRho } },
    { name: 'POST /api/tasks/:id/claim (unknown task)', method: 'post', path: () => `/api/tasks/${unknownTask()}/claim`, expect: only(404, taskWorkers) },
    { name: 'POST /api/tasks/:id/complete', method: 'post', path: () => `/api/tasks/${takeChargeId}/complete`, body: {}, expect: only(422, taskWorkers) },
    { name: 'POST /api/tasks/:id/reassign', method: 'post', path: () => `/api/tasks/${takeChargeId}/reassign`, body: {}, expect: only(422, coordinators) },
    { name: 'GET /api/supervision/stuck', method: 'get', path: () => '/api/supervision/stuck', expect: only(200, [...coordinators, 'admin']) },
    { name: 'GET /api/supervision/summary', method: 'get', path: () => '/api/supervision/summary', expect: only(200, [...coordinators, 'admin']) },
    { name: 'GET /api/auth/me', method: 'get', path: () => '/api/auth/me', expect: all(200) },
  ];

  it.each(rows.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const before = await counts();
    const actual: Record<string, number> = {};
    for (const user of USERS) {
      const req = request(h.app)[row.method](row.path()).set(...bearer(h, user));
      const res = row.method === 'post' ? await req.send((row.body ?? {})) : await req;
      actual[user] = res.status;
      if (res.status >= 400) expectProblem(res, res.status);
    }
    expect(actual).toEqual(row.expect);
    expect(await counts()).toEqual(before);
  });

  it('every decision is audited with user, role, action, case, outcome and request id, and no personal data', async () => {
    const denied = await request(h.app).get(`/api/cases/${caseId}`).set(...bearer(h, 'as.lainate'));
    const allowed = await request(h.app).get(`/api/cases/${caseId}`).set(...bearer(h, 'as.rho'));
    const rows = await h.prisma.auditEvent.findMany({
      where: { requestId: { in: [denied.headers['x-request-id'] as string, allowed.headers['x-request-id'] as string] } },
      orderBy: { id: 'asc' },
    });
    expect(rows.map(({ userId, role, action, caseId: c, outcome }) => ({ userId, role, action, caseId: c, outcome }))).toEqual([
      { userId: 'u-as-lainate', role: 'social_worker', action: 'case.read', caseId, outcome: 'not_found' },
      { userId: 'u-as-rho', role: 'social_worker', action: 'case.read', caseId, outcome: 'success' },
    ]);
    const everything = JSON.stringify(await h.prisma.auditEvent.findMany(), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    for (const personal of ['Mario', 'Senzatetto', 'Bianchi', 'Piazza San Vittore', '1234567']) expect(everything).not.toContain(personal);
  });

  it('audits an intake once (its row commits with the new case), and a repeated report with a row of its own', async () => {
    const report = sundayReport({ reportNumber: `AUD-${Date.now()}` });
    const first = await request(h.app).post('/api/cases').set(...bearer(h, 'intake')).send(report);
    const again = await request(h.app).post('/api/cases').set(...bearer(h, 'intake')).send(report);
    expect([first.status, again.status]).toEqual([201, 200]);
    const created = (first.body as { caseId: string }).caseId;
    const audit = async (res: request.Response) =>
      (await h.prisma.auditEvent.findMany({ where: { requestId: res.headers['x-request-id'] as string } })).map(({ userId, action, caseId: c, outcome }) => ({ userId, action, caseId: c, outcome }));
    expect(await audit(first)).toEqual([{ userId: 'u-intake', action: 'case.create', caseId: created, outcome: 'success' }]);
    expect(await audit(again)).toEqual([{ userId: 'u-intake', action: 'case.create', caseId: created, outcome: 'success' }]);
    await activeTask(h, created, 'take_charge'); // the workflow settles before later tests count rows
  });
});

describe('Comune scoping of social workers', () => {
  it('lists only the cases of their Comune (event Comune before the handover)', async () => {
    const lainateCase = await createCase(h, sundayReport({ eventComuneCode: '015116', residenceComuneCode: '015116', eventAddress: 'Via Re Umberto 1, Lainate' }));
    await activeTask(h, lainateCase, 'take_charge'); // the workflow settles before later tests count rows
    const list = async (user: DemoUsername) =>
      ((await request(h.app).get('/api/cases').query({ limit: 200 }).set(...bearer(h, user))).body as { items: Array<{ id: string }> }).items.map((c) => c.id);
    const rho = await list('as.rho');
    const lainate = await list('as.lainate');
    const coordinator = await list('coordinatore');
    expect(rho).toContain(caseId);
    expect(rho).not.toContain(lainateCase);
    expect(lainate).toContain(lainateCase);
    expect(lainate).not.toContain(caseId);
    expect(coordinator).toEqual(expect.arrayContaining([caseId, lainateCase]));
    expect((await request(h.app).get(`/api/cases/${lainateCase}`).set(...bearer(h, 'as.rho'))).status).toBe(404);
    const notes = await request(h.app).post(`/api/cases/${lainateCase}/notes`).set(...bearer(h, 'as.rho')).send({ text: 'nota' });
    expectProblem(notes, 404);
    expect(await h.prisma.note.count({ where: { caseId: lainateCase } })).toBe(0);
  });

  it('a social worker sees no emergency tasks in their inbox and cannot claim one', async () => {
    const inbox = await request(h.app).get('/api/tasks').set(...bearer(h, 'as.rho'));
    expect(body(inbox).items).toEqual([]);
    const claim = await request(h.app).post(`/api/tasks/${takeChargeId}/claim`).set(...bearer(h, 'as.rho'));
    expectProblem(claim, 403);
    expect(claim.body).toMatchObject({ code: 'WRONG_ROLE' });
  });

  it('only the coordinator may list all tasks', async () => {
    expectProblem(await request(h.app).get('/api/tasks').query({ scope: 'all' }).set(...bearer(h, 'operatore1')), 403);
    const all = await request(h.app).get('/api/tasks').query({ scope: 'all' }).set(...bearer(h, 'coordinatore'));
    expect(body(all).items).toEqual(expect.arrayContaining([expect.objectContaining({ id: takeChargeId })]));
  });
});

describe('bad input changes nothing', () => {
  const cases: Array<[string, () => request.Test, number]> = [
    ['intake with wrong types', () => request(h.app).post('/api/cases').set(...bearer(h, 'intake')).send(sundayReport({ people: 'Mario', categories: 'homeless' })), 422],
    ['intake with missing fields', () => request(h.app).post('/api/cases').set(...bearer(h, 'intake')).send({ reportingForce: 'carabinieri' }), 422],
    ['intake with an unknown field', () => request(h.app).post('/api/cases').set(...bearer(h, 'intake')).send(sundayReport({ protocolOverrides: { takeChargeSlaMinutes: 1 } })), 422],
    ['intake in a Comune outside every Ambito', () => request(h.app).post('/api/cases').set(...bearer(h, 'intake')).send(sundayReport({ eventComuneCode: '058091' })), 422],
    ['intake with a bad Idempotency-Key', () => request(h.app).post('/api/cases').set(...bearer(h, 'intake')).set('Idempotency-Key', 'x').send(sundayReport()), 400],
    ['intake as a JSON string', () => request(h.app).post('/api/cases').set(...bearer(h, 'intake')).set('Content-Type', 'application/json').send('"hello"'), 400],
    ['intake as malformed JSON', () => request(h.app).post('/api/cases').set(...bearer(h, 'intake')).set('Content-Type', 'application/json').send('{"reportingForce":'), 400],
    ['intake as text/plain', () => request(h.app).post('/api/cases').set(...bearer(h, 'intake')).set('Content-Type', 'text/plain').send('hello'), 400],
    ['a huge note', () => request(h.app).post(`/api/cases/${caseId}/notes`).set(...bearer(h, 'operatore1')).send({ text: 'x'.repeat(200_000) }), 413],
    ['a too long note', () => request(h.app).post(`/api/cases/${caseId}/notes`).set(...bearer(h, 'operatore1')).send({ text: 'x'.repeat(5000) }), 422],
    ['a note with a number', () => request(h.app).post(`/api/cases/${caseId}/notes`).set(...bearer(h, 'operatore1')).send({ text: 42 }), 422],
    ['a note on an unknown case', () => request(h.app).post(`/api/cases/${UNKNOWN_CASE}/notes`).set(...bearer(h, 'operatore1')).send({ text: 'ciao' }), 404],
    ['a note on a malformed id', () => request(h.app).post('/api/cases/../etc/notes').set(...bearer(h, 'operatore1')).send({ text: 'ciao' }), 404],
    ['reading an unknown case', () => request(h.app).get(`/api/cases/${UNKNOWN_CASE}`).set(...bearer(h, 'coordinatore')), 404],
    ['reading a malformed case id', () => request(h.app).get("/api/cases/1' OR '1'='1").set(...bearer(h, 'coordinatore')), 404],
    ['listing with a bad limit', () => request(h.app).get('/api/cases?limit=abc').set(...bearer(h, 'coordinatore')), 400],
    ['listing with a huge limit', () => request(h.app).get('/api/cases?limit=100000').set(...bearer(h, 'coordinatore')), 400],
    ['listing with an unknown status', () => request(h.app).get('/api/cases?status=lost').set(...bearer(h, 'coordinatore')), 400],
    ['listing with a repeated parameter', () => request(h.app).get('/api/cases?status=open&status=closed').set(...bearer(h, 'coordinatore')), 400],
    ['listing with an unknown parameter', () => request(h.app).get('/api/cases?where=1').set(...bearer(h, 'coordinatore')), 400],
    ['listing tasks with a bad case id', () => request(h.app).get('/api/tasks?caseId=abc').set(...bearer(h, 'coordinatore')), 400],
    ['cancel without reason', () => request(h.app).post(`/api/cases/${caseId}/cancel`).set(...bearer(h, 'coordinatore')).send({ reason: '' }), 422],
    ['cancel of an unknown case', () => request(h.app).post(`/api/cases/${UNKNOWN_CASE}/cancel`).set(...bearer(h, 'coordinatore')).send({ reason: 'errore di inserimento' }), 404],
    ['move-handover with a bad date', () => request(h.app).post(`/api/cases/${caseId}/move-handover`).set(...bearer(h, 'coordinatore')).send({ at: 'domani', reason: 'ufficio aperto prima' }), 422],
    ['move-handover before the handover is pending', () => request(h.app).post(`/api/cases/${caseId}/move-handover`).set(...bearer(h, 'coordinatore')).send({ at: new Date().toISOString(), reason: 'ufficio aperto prima' }), 409],
    ['override-scope on an in-scope case', () => request(h.app).post(`/api/cases/${caseId}/override-scope`).set(...bearer(h, 'coordinatore')).send({ reason: 'competenza PIS' }), 409],
    ['claim of an unknown task', () => request(h.app).post(`/api/tasks/${UNKNOWN_CASE}-t9/claim`).set(...bearer(h, 'operatore1')), 404],
    ['claim with a body', () => request(h.app).post(`/api/tasks/${takeChargeId}/claim`).set(...bearer(h, 'operatore1')).send({ assigneeId: 'u-op2' }), 400],
    ['complete with a form of wrong types', () => request(h.app).post(`/api/tasks/${takeChargeId}/complete`).set(...bearer(h, 'operatore1')).send({ form: { etaMinutes: 'subito' } }), 422],
    ['complete with a form as array', () => request(h.app).post(`/api/tasks/${takeChargeId}/complete`).set(...bearer(h, 'operatore1')).send({ form: [1] }), 422],
    ['complete of an unknown task', () => request(h.app).post(`/api/tasks/${UNKNOWN_CASE}-t9/complete`).set(...bearer(h, 'operatore1')).send({ form: { etaMinutes: 5 } }), 404],
    ['reassign to an unknown user', () => request(h.app).post(`/api/tasks/${takeChargeId}/reassign`).set(...bearer(h, 'coordinatore')).send({ assigneeId: 'u-ghost', reason: 'turno' }), 422],
    ['reassign to a user of the wrong role', () => request(h.app).post(`/api/tasks/${takeChargeId}/reassign`).set(...bearer(h, 'coordinatore')).send({ assigneeId: 'u-as-rho', reason: 'turno' }), 422],
    ['reading a malformed task id', () => request(h.app).get('/api/tasks/xyz').set(...bearer(h, 'coordinatore')), 404],
    ['an unknown route', () => request(h.app).get('/api/nothing-here').set(...bearer(h, 'coordinatore')), 404],
  ];

  it.each(cases)('%s', async (_label, send, status) => {
    const before = await counts();
    const res = await send();
    expectProblem(res, status);
    expect(await counts()).toEqual(before);
  });

  it('an invalid form answers 422 with the zod issues', async () => {
    const res = await request(h.app).post(`/api/tasks/${takeChargeId}/complete`).set(...bearer(h, 'operatore1')).send({ form: { etaMinutes: -5 } });
    expectProblem(res, 422);
    expect(body(res).errors).toEqual([expect.objectContaining({ path: 'etaMinutes' })]);
  });
});

describe('intake is idempotent', () => {
  it('the same report twice gives one case: 201 then 200', async () => {
    const report = sundayReport();
    const first = await request(h.app).post('/api/cases').set(...bearer(h, 'intake')).send(report);
    const second = await request(h.app).post('/api/cases').set(...bearer(h, 'coordinatore')).send(report);
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(body(second).caseId).toBe(body(first).caseId);
    expect(first.headers.location).toBe(`/api/cases/${body(first).caseId as string}`);
    expect(await h.prisma.case.count({ where: { reportNumber: report.reportNumber as string } })).toBe(1);
  });

  it('an Idempotency-Key returns the case it created, and refuses another report', async () => {
    const key = `key-${Date.now()}-idem`;
    const report = sundayReport();
    const first = await request(h.app).post('/api/cases').set(...bearer(h, 'intake')).set('Idempotency-Key', key).send(report);
    const again = await request(h.app).post('/api/cases').set(...bearer(h, 'intake')).set('Idempotency-Key', key).send(report);
    expect([first.status, again.status]).toEqual([201, 200]);
    // The new case's first task reaches the read model on its own time: let it land first.
    await activeTask(h, body(first).caseId as string, 'take_charge');
    const before = await counts();
    const other = await request(h.app).post('/api/cases').set(...bearer(h, 'intake')).set('Idempotency-Key', key).send(sundayReport());
    expectProblem(other, 409);
    expect(await counts()).toEqual(before);
  });
});

describe('case and task reads', () => {
  it('GET /api/tasks/:id carries the form as JSON Schema', async () => {
    const res = await request(h.app).get(`/api/tasks/${takeChargeId}`).set(...bearer(h, 'operatore1'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: takeChargeId, type: 'take_charge', label: 'Presa in carico', status: 'open' });
    expect(body(res).formSchema).toMatchObject({ type: 'object', properties: { etaMinutes: { type: 'integer' } }, required: ['etaMinutes'] });
  });

  it('GET /api/cases/:id returns the case file, with the live workflow state on request', async () => {
    const res = await request(h.app).get(`/api/cases/${caseId}`).query({ live: 'true' }).set(...bearer(h, 'operatore1'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      case: { id: caseId, status: 'open', step: 'take_charge', eventComuneCode: '015182' },
      report: { officerName: 'App. Scelto Bianchi' },
      people: [expect.objectContaining({ firstName: 'Mario' })],
      tasks: { open: [expect.objectContaining({ id: takeChargeId, type: 'take_charge' })], past: [] },
      deadlines: [expect.objectContaining({ kind: 'task', taskId: takeChargeId })],
      live: { caseId, status: 'open', step: 'take_charge' },
    });
    expect((body(res).timeline as Array<{ kind: string }>).map((e) => e.kind)).toEqual(expect.arrayContaining(['case_opened', 'scope_assessed', 'task_created']));
  });

  it('filters, sorts and pages the case list', async () => {
    const page = async (query: Record<string, string | number>) =>
      (await request(h.app).get('/api/cases').query(query).set(...bearer(h, 'coordinatore'))).body as { items: Array<{ id: string; eventComuneCode: string; reportedAt: string }>; total: number };
    const lainate = await page({ comune: '015116' });
    expect(lainate.items.every((c) => c.eventComuneCode === '015116')).toBe(true);
    expect(lainate.total).toBeGreaterThan(0);
    const all = await page({ status: 'active', sort: 'createdAt', order: 'asc', limit: 200 });
    const firstTwo = await page({ status: 'active', sort: 'createdAt', order: 'asc', limit: 2 });
    const next = await page({ status: 'active', sort: 'createdAt', order: 'asc', limit: 2, offset: 2 });
    expect([...firstTwo.items, ...next.items].map((c) => c.id)).toEqual(all.items.slice(0, 4).map((c) => c.id));
    expect((await page({ category: 'msna' })).total).toBe(0);
    expect((await page({ overdue: 'true' })).items.map((c) => c.id)).not.toContain(caseId);
  });
});

describe('API version in the path', () => {
  it('/api/v1/… answers what /api/… answers, with the same rules', async () => {
    const [v1, alias] = await Promise.all([
      request(h.app).get(`/api/v1/cases/${caseId}`).set(...bearer(h, 'coordinatore')),
      request(h.app).get(`/api/cases/${caseId}`).set(...bearer(h, 'coordinatore')),
    ]);
    expect(v1.status).toBe(200);
    expect(v1.body).toEqual(alias.body);
    expect((await request(h.app).get(`/api/v1/cases/${caseId}`)).status).toBe(401);
    expect((await request(h.app).get(`/api/v1/cases/${caseId}`).set(...bearer(h, 'as.lainate'))).status).toBe(404);
    const login = await request(h.app).post('/api/v1/auth/login').send({ username: 'intake', password: 'demo-intake-pis' });
    expect(login.status).toBe(200);
    expect((await request(h.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${body(login).token as string}`)).body).toMatchObject({ id: 'u-intake', role: 'intake_operator' });
    expect((await request(h.app).get('/api/v1/nothing-here').set(...bearer(h, 'coordinatore'))).status).toBe(404);
    expect((await request(h.app).get('/api/v1/openapi.json')).status).toBe(200);
  });
});

describe('OpenAPI and docs', () => {
  it('GET /api/v1/openapi.json documents every operation, generated from the zod schemas', async () => {
    const res = await request(h.app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> }; security?: unknown[] }>> };
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/logout',
        'POST /api/v1/auth/logout-all',
        'GET /api/v1/auth/me',
        'POST /api/v1/cases',
        'GET /api/v1/cases',
        'GET /api/v1/cases/{id}',
        'POST /api/v1/cases/{id}/notes',
        'POST /api/v1/cases/{id}/cancel',
        'POST /api/v1/cases/{id}/override-scope',
        'POST /api/v1/cases/{id}/move-handover',
        'POST /api/v1/cases/{id}/escalate',
        'GET /api/v1/tasks',
        'GET /api/v1/tasks/{id}',
        'POST /api/v1/tasks/{id}/claim',
        'POST /api/v1/tasks/{id}/complete',
        'POST /api/v1/tasks/{id}/reassign',
        'GET /api/v1/supervision/stuck',
        'GET /api/v1/supervision/summary',
      ]) as unknown,
    );
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/v1/'))).toBe(true);
    const intake = doc.paths['/api/v1/cases']?.post?.requestBody?.content['application/json']?.schema;
    expect(intake?.required).toEqual(expect.arrayContaining(['reportingForce', 'reportNumber', 'eventComuneCode', 'people']));
    expect(doc.paths['/api/v1/cases']?.get?.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/auth/login']?.post?.security).toBeUndefined();
  });

  it('GET /api/docs is a self-contained page under a strict CSP', async () => {
    const page = await request(h.app).get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).not.toMatch(/https?:\/\/(?!localhost)/);
    const script = await request(h.app).get('/api/docs/app.js');
    expect(script.status).toBe(200);
    expect(script.text).toContain('/api/openapi.json');
  });
});
