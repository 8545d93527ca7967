import request from 'supertest';
import { type ApiHarness, bearer, startApiHarness } from './api-harness';

/** The case list on many cases: its total comes from the counters (exact, no count of the case table). */
const ROWS = 10_050;
let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('case-list');
  await h.deps.prisma.$executeRawUnsafe(`
    INSERT INTO "Case" (id, reference, "workflowId", "reportingForce", "reportNumber", "ambitoId", "eventComuneCode",
      categories, status, step, flags, "openTaskRoles", "reportedAt", "lastProgressAt", "createdById", "updatedAt")
    SELECT id, 'SYN-' || id, 'syn-' || id, 'carabinieri', 'SYN-' || id, 'rhodense', '015182',
      ARRAY['homeless'], 'closed', 'closure', ARRAY[]::text[], ARRAY[]::text[],
      now() - g * interval '1 minute', now(), 'u-intake', now()
    FROM (SELECT gen_random_uuid()::text AS id, g FROM generate_series(1, ${ROWS}) AS g) s`);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('GET /api/cases on many cases', () => {
  it('gives the exact total past 10,000 matches', async () => {
    const res = await request(h.app).get('/api/cases?status=closed&limit=5').set(...bearer(h, 'coordinatore'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: ROWS, totalCapped: false, limit: 5 });
    const items = (res.body as { items: Array<{ reportedAt: string }> }).items;
    expect(items).toHaveLength(5);
    // Newest first by default.
    expect([...items].sort((a, b) => b.reportedAt.localeCompare(a.reportedAt))).toEqual(items);
  });

  it('gives zero when nothing matches', async () => {
    const res = await request(h.app).get('/api/cases?status=open').set(...bearer(h, 'coordinatore'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 0, totalCapped: false, items: [] });
  });
});
