import request from 'supertest';
import { type ApiHarness, bearer, startApiHarness } from './api-harness';

/** Reference data for the console's pickers: Comuni for everyone who lists cases, users for the coordinator. */

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('reference', { worker: false });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('GET /api/reference/comuni', () => {
  it('lists the Comuni of the Ambito by name, without calendars', async () => {
    const res = await request(h.app).get('/api/reference/comuni').set(...bearer(h, 'intake'));
    expect(res.status).toBe(200);
    const items = (res.body as { items: Array<Record<string, unknown>> }).items;
    expect(items).toContainEqual(expect.objectContaining({ code: '015182', name: 'Rho' }));
    expect(items.map((c) => c.name)).toEqual([...items.map((c) => c.name)].sort((a, b) => String(a).localeCompare(String(b))));
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(['ambitoId', 'code', 'name', 'province']);
  });

  it('needs a token', async () => {
    expect((await request(h.app).get('/api/reference/comuni')).status).toBe(401);
  });
});

describe('GET /api/reference/users', () => {
  it('gives the coordinator the active users of a role, without password hashes', async () => {
    const res = await request(h.app).get('/api/reference/users').query({ role: 'emergency_operator' }).set(...bearer(h, 'coordinatore'));
    expect(res.status).toBe(200);
    const items = (res.body as { items: Array<Record<string, unknown>> }).items;
    expect(items.map((u) => u.id).sort()).toEqual(['u-op1', 'u-op2']);
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|argon/);
  });

  it('filters social workers by Comune', async () => {
    const res = await request(h.app).get('/api/reference/users').query({ role: 'social_worker', comune: '015116' }).set(...bearer(h, 'coordinatore'));
    expect((res.body as { items: Array<{ id: string }> }).items.map((u) => u.id)).toEqual(['u-as-lainate']);
  });

  it('is for the coordinator only and validates the query', async () => {
    expect((await request(h.app).get('/api/reference/users').set(...bearer(h, 'operatore1'))).status).toBe(403);
    expect((await request(h.app).get('/api/reference/users').set(...bearer(h, 'as.rho'))).status).toBe(403);
    expect((await request(h.app).get('/api/reference/users').query({ role: 'pirate' }).set(...bearer(h, 'coordinatore'))).status).toBe(400);
  });
});
