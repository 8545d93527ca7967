import request from 'supertest';
import { COUNT_CAP } from '../../src/api/routes/cases';
import { type ApiHarness, bearer, startApiHarness } from './api-harness';

/** The case list stays cheap on a large read model: counting stops at COUNT_CAP. */
let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('case-list');
  await h.deps.prisma.$executeRawUnsafe(`
    INSERT INTO "Case" (id, reference, "workflowId", "reportingForce", "reportNumber", "ambitoId", "eventComuneCode",
      categories, status, step, flags, "openTaskRoles", "reportedAt", "lastProgressAt", "createdById", "updatedAt")
    SELECT id, 'SYN-' || id, 'syn-' || id, 'carabinieri', 'SYN-' || id, 'rhodense', '015182',
      ARRAY['homeless'], 'closed', 'closure', ARRAY[]::text[], ARRAY[]::text[],
      now() - g * interval '1 minute', now(), 'u-intake', now()
    FROM (SELECT gen_random_uuid()::text AS id, g FROM generate_series(1, ${COUNT_CAP + 50}) AS g) s`);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('GET /api/cases on many cases', () => {
  it('caps the total and says so', async () => {
    const res = await request(h.app).get('/api/cases?status=closed&limit=5').set(...bearer(h, 'coordinatore'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: COUNT_CAP, totalCapped: true, limit: 5 });
    const items = (res.body as { items: Array<{ reportedAt: string }> }).items;
    expect(items).toHaveLength(5);
    // Newest first by default.
    expect([...items].sort((a, b) => b.reportedAt.localeCompare(a.reportedAt))).toEqual(items);
  });

  it('gives the exact total below the cap', async () => {
    const res = await request(h.app).get('/api/cases?status=open').set(...bearer(h, 'coordinatore'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 0, totalCapped: false, items: [] });
  });
});
