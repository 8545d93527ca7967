import request from 'supertest';
import { activeTask, type ApiHarness, bearer, createCase, type DemoUsername, startApiHarness, sundayReport } from './api-harness';

/**
 * User administration on the real stack: admin manages everyone, a coordinator the operators of
 * their own Ambiti; bad input is 422 naming the field and changes nothing; every change is an
 * AdminChange row without passwords; deactivation and password reset revoke the user's tokens;
 * a change of Ambiti applies at the user's next request.
 */

let h: ApiHarness;
let rhoCase: string;
let bollateCase: string;

beforeAll(async () => {
  h = await startApiHarness('admin_users');
  rhoCase = await createCase(h);
  bollateCase = await createCase(h, sundayReport({ eventComuneCode: '015027', residenceComuneCode: '015027', eventAddress: 'Via Roma 1, Bollate' }), h.app, 'coordinatore.bollate');
  await activeTask(h, rhoCase, 'take_charge');
  await activeTask(h, bollateCase, 'take_charge', 'coordinatore.bollate');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

let seq = 0;
const uniqueName = (prefix: string) => `${prefix}.${Date.now().toString(36)}${(seq += 1)}`;

interface UserBody {
  id: string;
  username: string;
  role: string;
  comuneCode: string | null;
  ambitoIds: string[];
  active: boolean;
}
interface Created {
  user: UserBody;
  temporaryPassword: string;
}

const as = (user: DemoUsername) => bearer(h, user);
const create = (by: DemoUsername, body: Record<string, unknown>) => request(h.app).post('/api/admin/users').set(...as(by)).send(body);
const patch = (by: DemoUsername, id: string, body: Record<string, unknown>) => request(h.app).patch(`/api/admin/users/${id}`).set(...as(by)).send(body);
const login = (username: string, password: string) => request(h.app).post('/api/auth/login').send({ username, password });
const casesOf = async (token: string) =>
  ((await request(h.app).get('/api/cases').query({ limit: 200 }).set('Authorization', `Bearer ${token}`)).body as { items: Array<{ id: string }> }).items.map((c) => c.id);

async function tokenOf(username: string, password: string): Promise<string> {
  const res = await login(username, password);
  expect(res.status).toBe(200);
  return (res.body as { token: string }).token;
}

const snapshot = async () => ({
  users: await h.prisma.user.count(),
  links: await h.prisma.userAmbito.count(),
  changes: await h.prisma.adminChange.count(),
});

describe('admin', () => {
  it('lists every user with role, Comune and Ambiti, and every Ambito', async () => {
    const res = await request(h.app).get('/api/admin/users').set(...as('admin'));
    expect(res.status).toBe(200);
    const body = res.body as { items: UserBody[]; ambiti: Array<{ id: string }> };
    expect(body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ username: 'coordinatore', role: 'coordinator', ambitoIds: ['rhodense'], comuneCode: null }),
        expect.objectContaining({ username: 'coordinatore.bollate', role: 'coordinator', ambitoIds: ['bollatese'] }),
        expect.objectContaining({ username: 'as.bollate', role: 'social_worker', comuneCode: '015027' }),
      ]),
    );
    expect(JSON.stringify(body)).not.toMatch(/passwordHash|argon2/);
    expect(body.ambiti.map((a) => a.id).sort()).toEqual(['bollatese', 'rhodense']);
  });

  it('creates an operator of the Bollatese: a one-time password that logs in, cases of that Ambito only, an AdminChange without secrets', async () => {
    const username = uniqueName('op.nuovo');
    const res = await create('admin', { username, displayName: 'Operatore Nuovo', role: 'emergency_operator', ambitoIds: ['bollatese'] });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const { user, temporaryPassword } = res.body as Created;
    expect(user).toMatchObject({ username, role: 'emergency_operator', ambitoIds: ['bollatese'], active: true });
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(16);
    const token = await tokenOf(username, temporaryPassword);
    const cases = await casesOf(token);
    expect(cases).toContain(bollateCase);
    expect(cases).not.toContain(rhoCase);
    const change = await h.prisma.adminChange.findFirstOrThrow({ where: { entity: 'user', entityId: user.id } });
    expect(change).toMatchObject({ actorId: 'u-admin', before: null, after: expect.objectContaining({ username, ambitoIds: ['bollatese'] }) as unknown });
    expect(JSON.stringify(change.after)).not.toContain(temporaryPassword);
    expect(JSON.stringify(change.after)).not.toMatch(/password/i);
  });

  it.each([
    ['a duplicate username', { username: 'coordinatore', displayName: 'Doppio', role: 'coordinator', ambitoIds: ['rhodense'] }, 'username'],
    ['an unknown Ambito', { username: 'x.unknown.ambito', displayName: 'X', role: 'emergency_operator', ambitoIds: ['rhodense', 'atlantide'] }, 'ambitoIds.1'],
    ['no Ambito for an operator', { username: 'x.no.ambito', displayName: 'X', role: 'emergency_operator', ambitoIds: [] }, 'ambitoIds'],
    ['a social worker without a Comune', { username: 'x.as.nocomune', displayName: 'X', role: 'social_worker' }, 'comuneCode'],
    ['a social worker whose Comune is outside their Ambiti', { username: 'x.as.outside', displayName: 'X', role: 'social_worker', comuneCode: '015027', ambitoIds: ['rhodense'] }, 'comuneCode'],
    ['an unknown Comune', { username: 'x.as.unknown', displayName: 'X', role: 'social_worker', comuneCode: '099999' }, 'comuneCode'],
    ['a Comune for an operator', { username: 'x.op.comune', displayName: 'X', role: 'emergency_operator', comuneCode: '015182', ambitoIds: ['rhodense'] }, 'comuneCode'],
    ['an unknown role', { username: 'x.role', displayName: 'X', role: 'superuser', ambitoIds: ['rhodense'] }, 'role'],
    ['a bad username', { username: 'A B', displayName: 'X', role: 'emergency_operator', ambitoIds: ['rhodense'] }, 'username'],
    ['a password in the body', { username: 'x.password', displayName: 'X', role: 'emergency_operator', ambitoIds: ['rhodense'], password: 'scelta-da-me-123' }, '(body)'],
  ])('refuses %s with 422 naming the field, changing nothing', async (_label, body, field) => {
    const before = await snapshot();
    const res = await create('admin', body);
    expect(res.status).toBe(422);
    expect((res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses bad updates with 422 naming the field (Comune outside the Ambiti, unknown Ambito, self-deactivation), changing nothing', async () => {
    const before = await snapshot();
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['u-as-bollate', { comuneCode: '015182', ambitoIds: ['bollatese'] }, 'comuneCode'],
      ['u-op1', { ambitoIds: ['atlantide'] }, 'ambitoIds.0'],
      ['u-op1', { ambitoIds: [] }, 'ambitoIds'],
      ['u-op1', {}, '(body)'],
      ['u-admin', { active: false }, 'active'],
    ];
    for (const [id, body, field] of cases) {
      const res = await patch('admin', id, body);
      expect({ id, status: res.status }).toEqual({ id, status: 422 });
      expect((res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain(field);
    }
    expect((await patch('admin', 'u-nobody', { displayName: 'X' })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('moves an operator to another Ambito: their very next request sees the other cases, with the same token', async () => {
    const username = uniqueName('op.sposta');
    const { user, temporaryPassword } = (await create('admin', { username, displayName: 'Operatore Spostato', role: 'emergency_operator', ambitoIds: ['rhodense'] })).body as Created;
    const token = await tokenOf(username, temporaryPassword);
    expect(await casesOf(token)).toContain(rhoCase);
    const res = await patch('admin', user.id, { ambitoIds: ['bollatese'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ambitoIds: ['bollatese'] });
    const now = await casesOf(token);
    expect(now).toContain(bollateCase);
    expect(now).not.toContain(rhoCase);
    const change = await h.prisma.adminChange.findFirstOrThrow({ where: { entity: 'user', entityId: user.id }, orderBy: { id: 'desc' } });
    expect(change.before).toMatchObject({ ambitoIds: ['rhodense'] });
    expect(change.after).toMatchObject({ ambitoIds: ['bollatese'] });
  });

  it('deactivates a user (active=false): the token is refused at once and the login fails', async () => {
    const username = uniqueName('op.via');
    const { user, temporaryPassword } = (await create('admin', { username, displayName: 'Operatore Uscente', role: 'emergency_operator', ambitoIds: ['rhodense'] })).body as Created;
    const token = await tokenOf(username, temporaryPassword);
    expect((await patch('admin', user.id, { active: false })).status).toBe(200);
    expect((await request(h.app).get('/api/cases').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    expect((await login(username, temporaryPassword)).status).toBe(401);
  });

  it('resets a password: a new one-time password, the old token 401, the old password refused', async () => {
    const username = uniqueName('op.reset');
    const { user, temporaryPassword } = (await create('admin', { username, displayName: 'Operatore Smemorato', role: 'emergency_operator', ambitoIds: ['rhodense'] })).body as Created;
    const token = await tokenOf(username, temporaryPassword);
    const res = await request(h.app).post(`/api/admin/users/${user.id}/reset-password`).set(...as('admin'));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const fresh = (res.body as Created).temporaryPassword;
    expect(fresh).not.toBe(temporaryPassword);
    expect((await request(h.app).get('/api/auth/me').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    expect((await login(username, temporaryPassword)).status).toBe(401);
    await tokenOf(username, fresh);
    const change = await h.prisma.adminChange.findFirstOrThrow({ where: { entity: 'user', entityId: user.id }, orderBy: { id: 'desc' } });
    expect(change.after).toMatchObject({ passwordReset: true });
    expect(JSON.stringify([change.before, change.after])).not.toContain(fresh);
  });
});

describe('a coordinator', () => {
  it('lists only the operators of their own Ambiti', async () => {
    const res = await request(h.app).get('/api/admin/users').set(...as('coordinatore.bollate'));
    expect(res.status).toBe(200);
    const body = res.body as { items: UserBody[]; ambiti: Array<{ id: string }> };
    expect(body.items.map((u) => u.username)).toContain('operatore.bollate');
    expect(body.items.every((u) => u.role === 'emergency_operator' && u.ambitoIds.every((a) => a === 'bollatese'))).toBe(true);
    expect(body.ambiti.map((a) => a.id)).toEqual(['bollatese']);
  });

  it('creates and edits operators of their Ambito, but nothing else (403, nothing changes)', async () => {
    const username = uniqueName('op.bollate');
    const created = await create('coordinatore.bollate', { username, displayName: 'Operatore del Bollatese', role: 'emergency_operator', ambitoIds: ['bollatese'] });
    expect(created.status).toBe(201);
    const { user } = created.body as Created;
    expect((await patch('coordinatore.bollate', user.id, { displayName: 'Operatore B.' })).status).toBe(200);
    const before = await snapshot();
    const refused = [
      await create('coordinatore.bollate', { username: uniqueName('coord'), displayName: 'X', role: 'coordinator', ambitoIds: ['bollatese'] }),
      await create('coordinatore.bollate', { username: uniqueName('op.rho'), displayName: 'X', role: 'emergency_operator', ambitoIds: ['rhodense'] }),
      await patch('coordinatore.bollate', 'u-op1', { displayName: 'Preso' }),
      await patch('coordinatore.bollate', user.id, { ambitoIds: ['bollatese', 'rhodense'] }),
      await patch('coordinatore.bollate', user.id, { role: 'coordinator' }),
      await request(h.app).post('/api/admin/users/u-op1/reset-password').set(...as('coordinatore.bollate')),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('other roles', () => {
  it.each(['operatore1', 'intake', 'as.rho'] as const)('%s gets 403', async (user) => {
    expect((await request(h.app).get('/api/admin/users').set(...as(user))).status).toBe(403);
    expect((await create(user, { username: uniqueName('x'), displayName: 'X', role: 'emergency_operator', ambitoIds: ['rhodense'] })).status).toBe(403);
  });
});

describe('a new Ambito', () => {
  it('with its Comune and users added through the API: its cases are routed to it and seen only by its users', async () => {
    const ambito = await request(h.app).post('/api/admin/ambiti').set(...as('admin')).send({ id: 'legnanese', name: 'Ambito territoriale del Legnanese' });
    expect(ambito.status).toBe(201);
    const comune = await request(h.app).post('/api/admin/comuni').set(...as('admin')).send({ code: '015118', name: 'Legnano', province: 'MI', ambitoId: 'legnanese' });
    expect(comune.status).toBe(201);
    const username = uniqueName('coord.legnano');
    const res = await create('admin', { username, displayName: 'Coordinatore del Legnanese', role: 'coordinator', ambitoIds: ['legnanese'] });
    expect(res.status).toBe(201);
    const token = await tokenOf(username, (res.body as Created).temporaryPassword);
    const report = await request(h.app)
      .post('/api/cases')
      .set('Authorization', `Bearer ${token}`)
      .send(sundayReport({ eventComuneCode: '015118', residenceComuneCode: '015118', eventAddress: 'Piazza San Magno, Legnano' }));
    expect(report.status).toBe(201);
    const caseId = (report.body as { caseId: string }).caseId;
    expect(await h.prisma.case.findUniqueOrThrow({ where: { id: caseId }, select: { ambitoId: true } })).toEqual({ ambitoId: 'legnanese' });
    expect(await casesOf(token)).toEqual([caseId]);
    expect(await casesOf(h.tokens.coordinatore as string)).not.toContain(caseId);
    expect((await request(h.app).get(`/api/cases/${caseId}`).set(...as('coordinatore.bollate'))).status).toBe(404);
    const sw = await create('admin', { username: uniqueName('as.legnano'), displayName: 'AS Legnano', role: 'social_worker', comuneCode: '015118' });
    expect(sw.status).toBe(201);
    expect((sw.body as Created).user).toMatchObject({ comuneCode: '015118', ambitoIds: ['legnanese'] });
  });
});

describe('OpenAPI', () => {
  it('documents the user administration operations with the roles that may call them', async () => {
    const doc = (await request(h.app).get('/api/openapi.json')).body as { paths: Record<string, Record<string, { description?: string }>> };
    expect(doc.paths['/api/v1/admin/users']?.get?.description).toBe('Ruoli: admin, coordinator.');
    expect(Object.keys(doc.paths['/api/v1/admin/users'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/admin/users/{id}'] ?? {})).toEqual(['patch']);
    expect(Object.keys(doc.paths['/api/v1/admin/users/{id}/reset-password'] ?? {})).toEqual(['post']);
  });
});
