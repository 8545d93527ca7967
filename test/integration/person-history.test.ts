import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { PersonLinkItem, PersonSearchHit } from '../../src/contract/reports';
import { type ApiHarness, bearer, startApiHarness } from './api-harness';

/**
 * Person history: search across earlier cases (authorised roles, within scope, every search
 * audited without its results), explicit links from a person of this case to an earlier one,
 * and the earlier cases a case page shows for them (within the reader's scope).
 */

let h: ApiHarness;

interface P {
  firstName: string;
  lastName: string;
  birthYear: number;
  nationality: string;
}

async function insertCase(comune: string, reportedAt: string, people: P[], outcome: string | null = 'taken_on_by_comune'): Promise<{ caseId: string; personIds: string[] }> {
  const id = randomUUID();
  await h.prisma.case.create({
    data: {
      id,
      reference: `PIS-H-${id.slice(0, 8)}`,
      workflowId: `case-${id}`,
      reportingForce: 'carabinieri',
      reportNumber: `R-${id}`,
      ambitoId: 'rhodense',
      eventComuneCode: comune,
      competentComuneCode: comune,
      categories: ['homeless'],
      status: outcome === null ? 'open' : 'closed',
      step: outcome === null ? 'intervention' : 'closure',
      flags: [],
      openTaskRoles: [],
      reportedAt: new Date(reportedAt),
      lastProgressAt: new Date(reportedAt),
      outcomeCode: outcome,
      closedAt: outcome === null ? null : new Date(new Date(reportedAt).getTime() + 86_400_000),
      createdById: 'u-intake',
      people: { create: people.map((p, i) => ({ id: `${id}-p${i + 1}`, role: 'subject', ...p })) },
    },
  });
  return { caseId: id, personIds: people.map((_, i) => `${id}-p${i + 1}`) };
}

const mario: P = { firstName: 'Mario', lastName: 'Rossi', birthYear: 1961, nationality: 'italiana' };
let earlierRho: Awaited<ReturnType<typeof insertCase>>;
let earlierLainate: Awaited<ReturnType<typeof insertCase>>;
let current: Awaited<ReturnType<typeof insertCase>>;
let later: Awaited<ReturnType<typeof insertCase>>;

beforeAll(async () => {
  h = await startApiHarness('people', { worker: false });
  earlierRho = await insertCase('015182', '2025-10-05T22:00:00Z', [mario]);
  earlierLainate = await insertCase('015116', '2025-11-05T22:00:00Z', [{ ...mario, lastName: 'Rossi Bianchi' }, { firstName: 'Aisha', lastName: 'Benali', birthYear: 1990, nationality: 'marocchina' }]);
  current = await insertCase('015182', '2025-12-20T22:00:00Z', [mario], null);
  later = await insertCase('015182', '2025-12-28T22:00:00Z', [mario], null);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const search = (query: Record<string, string>, user: 'operatore1' | 'operatore.bollate' | 'coordinatore' | 'as.rho' | 'intake' | 'admin' = 'operatore1') =>
  request(h.app).get('/api/people/search').query(query).set(...bearer(h, user));

describe('GET /api/people/search', () => {
  it('finds people by name (any order, any case), by birth year and nationality, newest case first', async () => {
    const res = await search({ name: 'rossi mario' });
    expect(res.status).toBe(200);
    const items = (res.body as { items: PersonSearchHit[] }).items;
    expect(items.map((i) => i.caseId)).toEqual([later.caseId, current.caseId, earlierLainate.caseId, earlierRho.caseId]);
    expect(items[3]).toMatchObject({ personId: earlierRho.personIds[0], caseReference: expect.stringMatching(/^PIS-H-/) as unknown, birthYear: 1961 });
    const byYear = await search({ birthYear: '1990', nationality: 'Marocchina' }, 'coordinatore');
    expect((byYear.body as { items: PersonSearchHit[] }).items.map((i) => i.personId)).toEqual([earlierLainate.personIds[1]]);
  });

  it('finds only people of cases in the actor’s scope (an operator of another Ambito finds none)', async () => {
    const res = await search({ name: 'Mario Rossi' }, 'operatore.bollate');
    expect(res.status).toBe(200);
    expect((res.body as { items: PersonSearchHit[]; total: number }).total).toBe(0);
    const audit = await h.prisma.personSearchAudit.findFirst({ where: { userId: 'u-op-bollate' } });
    expect(audit?.resultCount).toBe(0);
  });

  it('audits every search: who, when, criteria, how many matched; never the results', async () => {
    const before = await h.prisma.personSearchAudit.count();
    await search({ name: 'Benali' }, 'coordinatore');
    await search({ name: 'Nessuno Maiesistito' });
    const rows = await h.prisma.personSearchAudit.findMany({ orderBy: { id: 'asc' }, skip: before });
    expect(rows.map((r) => [r.userId, r.role, r.criteria, r.resultCount])).toEqual([
      ['u-coord', 'coordinator', { name: 'Benali' }, 1],
      ['u-op1', 'emergency_operator', { name: 'Nessuno Maiesistito' }, 0],
    ]);
    expect(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(earlierLainate.caseId);
  });

  it('needs a name, or birth year and nationality together: 422 naming the field, nothing audited', async () => {
    const before = await h.prisma.personSearchAudit.count();
    for (const [query, path] of [
      [{}, 'name'],
      [{ birthYear: '1961' }, 'name'],
      [{ nationality: 'italiana' }, 'name'],
      [{ name: 'M' }, 'name'],
      [{ name: 'Mario', birthYear: 'ieri' }, 'birthYear'],
      [{ name: 'Mario', codiceFiscale: 'X' }, '(query)'],
    ] as Array<[Record<string, string>, string]>) {
      const res = await search(query);
      expect(res.status).toBe(422);
      expect((res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain(path);
    }
    expect(await h.prisma.personSearchAudit.count()).toBe(before);
  });

  it('is 403 for roles outside the matrix, audited as denied', async () => {
    for (const user of ['as.rho', 'intake', 'admin'] as const) expect((await search({ name: 'Mario' }, user)).status).toBe(403);
    const denied = await h.prisma.auditEvent.findMany({ where: { action: 'person.search', outcome: 'denied' } });
    expect(denied.map((d) => d.userId).sort()).toEqual(['u-admin', 'u-as-rho', 'u-intake']);
  });
});

describe('links to earlier cases', () => {
  const linksOf = async (caseId: string, user: 'operatore1' | 'as.rho' | 'coordinatore' = 'operatore1') => {
    const res = await request(h.app).get(`/api/cases/${caseId}/people/links`).set(...bearer(h, user));
    expect(res.status).toBe(200);
    return (res.body as { items: PersonLinkItem[] }).items;
  };
  const link = (caseId: string, personId: string, earlierPersonId: unknown, user: 'operatore1' | 'as.rho' | 'coordinatore' = 'operatore1') =>
    request(h.app).post(`/api/cases/${caseId}/people/${personId}/links`).set(...bearer(h, user)).send({ earlierPersonId });

  it('the operator links explicitly; the case then shows the earlier cases (reference, dates, category, outcome)', async () => {
    expect(await linksOf(current.caseId)).toEqual([]);
    const res = await link(current.caseId, current.personIds[0]!, earlierRho.personIds[0]);
    expect(res.status).toBe(201);
    expect((await link(current.caseId, current.personIds[0]!, earlierRho.personIds[0])).status).toBe(200);
    expect((await link(current.caseId, current.personIds[0]!, earlierLainate.personIds[0], 'coordinatore')).status).toBe(201);
    const items = await linksOf(current.caseId);
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      personId: current.personIds[0],
      earlierPersonId: earlierRho.personIds[0],
      linkedById: 'u-op1',
      earlierCase: { caseId: earlierRho.caseId, reference: expect.stringMatching(/^PIS-H-/) as unknown, reportedAt: '2025-10-05T22:00:00.000Z', closedAt: '2025-10-06T22:00:00.000Z', categories: ['homeless'], outcomeCode: 'taken_on_by_comune' },
    });
    const audited = await h.prisma.auditEvent.findMany({ where: { action: 'person.link', caseId: current.caseId, outcome: 'success' } });
    expect(audited).toHaveLength(3);
  });

  it('shows a social worker only the earlier cases of their Comune', async () => {
    const items = await linksOf(current.caseId, 'as.rho');
    expect(items.map((i) => i.earlierCase?.caseId ?? null)).toEqual([earlierRho.caseId, null]);
  });

  it('refuses what is not an explicit, earlier, visible person: 422 naming earlierPersonId, 404 for a person not of the case', async () => {
    for (const earlierPersonId of [later.personIds[0], current.personIds[0], `${randomUUID()}-p1`, 42]) {
      const res = await link(current.caseId, current.personIds[0]!, earlierPersonId);
      expect(res.status).toBe(422);
      expect((res.body as { errors: Array<{ path: string }> }).errors[0]!.path).toBe('earlierPersonId');
    }
    expect((await link(current.caseId, earlierRho.personIds[0]!, earlierLainate.personIds[0])).status).toBe(404);
    expect((await link(current.caseId, current.personIds[0]!, earlierRho.personIds[0], 'as.rho')).status).toBe(403);
    expect(await h.prisma.personLink.count({ where: { caseId: current.caseId } })).toBe(2);
  });

  it('unlinks, audited; the earlier case is no longer shown', async () => {
    const [first] = await linksOf(current.caseId);
    const res = await request(h.app).delete(`/api/cases/${current.caseId}/people/${current.personIds[0]}/links/${first!.id}`).set(...bearer(h, 'operatore1'));
    expect(res.status).toBe(200);
    expect((await linksOf(current.caseId)).map((i) => i.earlierPersonId)).toEqual([earlierLainate.personIds[0]]);
    expect((await request(h.app).delete(`/api/cases/${current.caseId}/people/${current.personIds[0]}/links/${first!.id}`).set(...bearer(h, 'operatore1'))).status).toBe(404);
    expect(await h.prisma.auditEvent.count({ where: { action: 'person.unlink', caseId: current.caseId, outcome: 'success' } })).toBe(1);
  });
});
