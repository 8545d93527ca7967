import { createHash } from 'node:crypto';
import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import { forms } from '../../scripts/lib/case-driver';
import type { MilestoneItem, MilestoneRow } from '../../src/contract/milestones';
import { formatRome } from '../../src/milestones/clocks';
import { sweepMilestonesOnce } from '../../src/milestones/sweeper';
import { activeTask, type ApiHarness, bearer, createCase, eventually, startApiHarness, sundayReport } from './api-harness';

/** The legal deadline ledger and the official PDFs on the real worker, dev server and database. */

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('milestones');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const PROTECTED = 'Via Segretissima 99, Milano';
type User = Parameters<typeof bearer>[1];

async function complete(taskId: string, user: User, form: Record<string, unknown>): Promise<void> {
  const res = await request(h.app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, user)).send({ form });
  expect({ status: res.status, body: res.status === 200 ? 'ok' : (res.body as unknown) }).toEqual({ status: 200, body: 'ok' });
}

async function takeChargeAndAssess(caseId: string, questions: Record<string, unknown>): Promise<void> {
  const takeCharge = await activeTask(h, caseId, 'take_charge');
  expect((await request(h.app).post(`/api/tasks/${takeCharge.id}/claim`).set(...bearer(h, 'operatore1'))).status).toBe(200);
  await complete(takeCharge.id, 'operatore1', { etaMinutes: 20 });
  const riskCheck = await activeTask(h, caseId, 'risk_check');
  await complete(riskCheck.id, 'operatore1', forms.riskCheck(questions));
}

async function milestones(caseId: string, user: User = 'coordinatore'): Promise<MilestoneItem[]> {
  const res = await request(h.app).get(`/api/cases/${caseId}/milestones`).set(...bearer(h, user));
  expect(res.status).toBe(200);
  return (res.body as { items: MilestoneItem[] }).items;
}

function byKind(items: MilestoneItem[], kind: string): MilestoneItem {
  const m = items.find((i) => i.kind === kind);
  if (!m) throw new Error(`no milestone ${kind} in ${items.map((i) => i.kind).join(', ')}`);
  return m;
}

function evidence(caseId: string, m: MilestoneItem, user: User, body: Record<string, unknown>) {
  return request(h.app).post(`/api/cases/${caseId}/milestones/${encodeURIComponent(m.id)}/evidence`).set(...bearer(h, user)).send(body);
}

async function pdfText(res: request.Response): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(res.body as Buffer) });
  return (await parser.getText()).text;
}

function getPdf(caseId: string, kind: string, user: User, query: Record<string, string> = {}) {
  return request(h.app)
    .get(`/api/cases/${caseId}/documents/${kind}`)
    .query(query)
    .set(...bearer(h, user))
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

let art403Case: string;

describe('art. 403 c.c. placement of a child whose mother is a victim of violence', () => {
  it('shows the 24 h, 72 h, 48 h and 15-day terms; the report, the prosecutor’s request, the decree and the hearing mark them met', async () => {
    const caseId = await createCase(
      h,
      sundayReport({
        categories: ['women_violence', 'minors_at_risk'],
        people: [
          { role: 'subject', firstName: 'Anna', lastName: 'Rossi', gender: 'f' },
          { role: 'child', firstName: 'Luca', lastName: 'Rossi', birthYear: 2016, isMinor: true, gender: 'm' },
        ],
        immediateDangers: ['violence_ongoing'],
        narrative: 'Donna aggredita dal compagno davanti al figlio di dieci anni.',
      }),
    );
    art403Case = caseId;
    await takeChargeAndAssess(caseId, { violenceSuspected: true, perpetratorNearby: true, childrenPresent: true, childrenCount: 1, art403Placement: true });

    // Opened as soon as the protocol asks for the report: the whole chain, later terms estimated.
    const opened = await eventually('art. 403 milestones', async () => {
      const items = await milestones(caseId);
      return items.length >= 4 ? items : undefined;
    });
    const m24 = byKind(opened, 'art403_report_24h');
    const m72 = byKind(opened, 'art403_prosecutor_72h');
    const m48 = byKind(opened, 'art403_court_48h');
    const m15 = byKind(opened, 'art403_hearing_15d');
    expect(m24).toMatchObject({ state: 'due', actor: 'us', legalSource: 'art. 403 c.c., c. 2', requiredEvidence: ['sentAt', 'channel'], canEnterEvidence: true, triggerEstimated: false });
    expect(Date.parse(m24.dueAt) - Date.parse(m24.triggerAt)).toBe(24 * HOUR);
    expect(m72).toMatchObject({ state: 'due', actor: 'prosecutor', triggerAt: m24.dueAt, triggerEstimated: true });
    expect(Date.parse(m72.dueAt) - Date.parse(m72.triggerAt)).toBe(72 * HOUR);
    expect(m48).toMatchObject({ actor: 'court', triggerAt: m72.dueAt });
    expect(Date.parse(m48.dueAt) - Date.parse(m48.triggerAt)).toBe(48 * HOUR);
    expect(m15).toMatchObject({ actor: 'court', triggerAt: m48.dueAt, requiredEvidence: ['hearingDate'] });
    expect(new Date(m15.dueAt).getUTCMilliseconds()).toBe(999); // the end of the 15th day in Rome

    // The anti-violence branch: consent with a complaint (Codice Rosso), protected placement.
    const consent = await activeTask(h, caseId, 'av_consent');
    await complete(consent.id, 'operatore1', forms.avConsent(true, 1, true));
    const placement = await activeTask(h, caseId, 'av_protected_placement');
    await complete(placement.id, 'operatore1', { protectedAddress: PROTECTED, placedAt: new Date().toISOString(), childrenPlaced: 1 });
    const cav = await activeTask(h, caseId, 'av_cav_contact');
    await complete(cav.id, 'operatore1', forms.cavContact());

    // The report task holds the evidence of the 24 h term: met, and the 72 h term runs from it.
    const placedAt = Date.now() - 2 * HOUR;
    const sentAt = Date.now() - HOUR;
    const report = await activeTask(h, caseId, 'art403_report');
    await complete(report.id, 'operatore1', { placedAt: iso(placedAt), sentAt: iso(sentAt), channel: 'pec', protocolNumber: 'PEC-403-0001' });
    const afterReport = await eventually('24 h term met', async () => {
      const items = await milestones(caseId);
      return byKind(items, 'art403_report_24h').state === 'met' ? items : undefined;
    });
    expect(byKind(afterReport, 'art403_report_24h')).toMatchObject({ triggerAt: iso(placedAt), dueAt: iso(placedAt + 24 * HOUR), evidence: { sentAt: iso(sentAt), channel: 'pec', pecProtocol: 'PEC-403-0001' } });
    const prosecutor = byKind(afterReport, 'art403_prosecutor_72h');
    expect(prosecutor).toMatchObject({ state: 'due', triggerAt: iso(sentAt), triggerEstimated: false, dueAt: iso(sentAt + 72 * HOUR), canEnterEvidence: true });
    expect(byKind(afterReport, 'codice_rosso_hearing_3d')).toMatchObject({ state: 'due', actor: 'prosecutor' });

    // Bad evidence changes nothing: missing field, before the case, in the future, wrong role.
    const missing = await evidence(caseId, prosecutor, 'coordinatore', { note: 'richiesta ricevuta' });
    expect(missing.status).toBe(422);
    expect((missing.body as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path: 'decreeDate' })]);
    const reportedAt = (await h.prisma.case.findUniqueOrThrow({ where: { id: caseId } })).reportedAt.getTime();
    const early = await evidence(caseId, prosecutor, 'coordinatore', { decreeDate: iso(reportedAt - 86_400_000) });
    expect(early.status).toBe(422);
    expect((early.body as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path: 'decreeDate', message: expect.stringContaining('precedente') as string })]);
    const future = await evidence(caseId, prosecutor, 'coordinatore', { decreeDate: iso(Date.now() + 86_400_000) });
    expect(future.status).toBe(422);
    expect((future.body as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path: 'decreeDate', message: 'data nel futuro' })]);
    const malformed = await evidence(caseId, prosecutor, 'coordinatore', { decreeDate: 'ieri' });
    expect(malformed.status).toBe(422);
    expect((await evidence(caseId, prosecutor, 'operatore1', { decreeDate: iso(Date.now()) })).status).toBe(403);
    expect((await evidence(caseId, prosecutor, 'as.rho', { decreeDate: iso(Date.now()) })).status).toBe(403);
    expect(byKind(await milestones(caseId), 'art403_prosecutor_72h')).toMatchObject({ state: 'due', evidence: { decreeDate: null } });

    // The coordinator records the prosecutor's and the court's acts.
    const requestAt = Date.now() - 30 * 60_000;
    const ok = await evidence(caseId, prosecutor, 'coordinatore', { decreeDate: iso(requestAt), note: 'Richiesta di convalida' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'met', evidence: { decreeDate: iso(requestAt), byId: 'u-coord', byRole: 'coordinator' }, canEnterEvidence: false });
    expect((await evidence(caseId, prosecutor, 'coordinatore', { decreeDate: iso(requestAt) })).status).toBe(409);
    const court = byKind(await milestones(caseId), 'art403_court_48h');
    expect(court).toMatchObject({ triggerAt: iso(requestAt), triggerEstimated: false, dueAt: iso(requestAt + 48 * HOUR) });
    const decreeAt = Date.now() - 10 * 60_000;
    expect((await evidence(caseId, court, 'coordinatore', { decreeDate: iso(decreeAt) })).body).toMatchObject({ state: 'met' });
    const hearing = byKind(await milestones(caseId), 'art403_hearing_15d');
    expect(hearing).toMatchObject({ triggerAt: iso(decreeAt), triggerEstimated: false });
    expect((await evidence(caseId, hearing, 'coordinatore', { hearingDate: iso(Date.now() - 60_000) })).body).toMatchObject({ state: 'met' });

    const audits = await h.prisma.auditEvent.findMany({ where: { caseId, action: 'milestone.evidence' } });
    expect(audits.filter((a) => a.outcome === 'success')).toHaveLength(3);
    expect(audits.filter((a) => a.outcome === 'rejected').length).toBeGreaterThanOrEqual(4);
    expect(await h.prisma.milestoneEvidence.count({ where: { caseId } })).toBe(3);
  });

  it('the art. 403 report PDF holds the reference, the dates and the child, never the protected address; generation recorded', async () => {
    const c = await h.prisma.case.findUniqueOrThrow({ where: { id: art403Case } });
    const res = await getPdf(art403Case, 'art403_report', 'coordinatore');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(res);
    const m24 = await h.prisma.milestone.findUniqueOrThrow({ where: { id: `${art403Case}:art403_report_24h` } });
    expect(text).toContain(c.reference);
    expect(text).toContain(formatRome(m24.triggerAt));
    expect(text).toContain(formatRome(m24.dueAt));
    expect(text).toContain('Luca Rossi');
    expect(text).toContain('art. 403 c.c., c. 3');
    expect(text).not.toContain('Segretissima');
    const rows = await h.prisma.documentGeneration.findMany({ where: { caseId: art403Case, kind: 'art403_report' } });
    expect(rows).toEqual([expect.objectContaining({ recipient: 'procura_minorenni', userId: 'u-coord', sha256: createHash('sha256').update(res.body as Buffer).digest('hex') })]);

    for (const user of ['as.rho', 'intake'] as const) {
      expect((await getPdf(art403Case, 'art403_report', user)).status).toBe(403);
    }
    const denied = await h.prisma.auditEvent.findMany({ where: { action: 'document.generate', outcome: 'denied' } });
    expect(denied.map((d) => d.role).sort()).toEqual(['intake_operator', 'social_worker']);
    expect(denied.find((d) => d.role === 'social_worker')?.caseId).toBe(art403Case);
    expect(await h.prisma.documentGeneration.count({ where: { caseId: art403Case } })).toBe(1);
  });

  it('at handover the Comune’s social worker reads the terms (not editable) and gets the summary PDF without the protected address', async () => {
    const intervention = await activeTask(h, art403Case, 'intervention');
    await complete(intervention.id, 'operatore1', forms.interventionPlaced());
    await eventually('handover summary', async () => ((await h.prisma.handoverSummary.findUnique({ where: { caseId: art403Case } })) ? true : undefined));
    const forComune = await milestones(art403Case, 'as.rho');
    expect(forComune.length).toBeGreaterThanOrEqual(5);
    expect(forComune.every((m) => !m.canEnterEvidence)).toBe(true);
    const res = await getPdf(art403Case, 'handover_summary', 'as.rho');
    expect(res.status).toBe(200);
    const text = await pdfText(res);
    const c = await h.prisma.case.findUniqueOrThrow({ where: { id: art403Case } });
    expect(text).toContain(c.reference);
    expect(text).toContain('Audizione della vittima');
    expect(text).not.toContain('Segretissima');
    expect((await request(h.app).get(`/api/cases/${art403Case}/milestones`).set(...bearer(h, 'as.lainate'))).status).toBe(403);
  });
});

describe('the Scadenze view', () => {
  it('lists a term nobody met as missed once the sweeper passed its due time; reminders come first at the lead times', async () => {
    const caseId = await createCase(
      h,
      sundayReport({ categories: ['minors_at_risk'], people: [{ role: 'child', firstName: 'Sara', isMinor: true }], narrative: 'Bambina sola in casa di notte.' }),
    );
    await takeChargeAndAssess(caseId, { art403Placement: true, withoutCaregiver: true });
    const m24 = await eventually('24 h term', async () => (await milestones(caseId)).find((m) => m.kind === 'art403_report_24h'));

    const beforeDue = Date.parse(m24.dueAt) - 30 * 60_000;
    const early = await sweepMilestonesOnce({ prisma: h.prisma }, beforeDue);
    expect(early.missed).toBe(0);
    const reminders = await h.prisma.notification.findMany({ where: { caseId, kind: 'milestone_reminder' }, orderBy: { id: 'asc' } });
    expect(reminders.map((r) => r.id)).toEqual([`${m24.id}:lead360`, `${m24.id}:lead60`].sort());
    expect((await sweepMilestonesOnce({ prisma: h.prisma }, beforeDue)).reminders).toBe(0);

    const swept = await sweepMilestonesOnce({ prisma: h.prisma }, Date.parse(m24.dueAt) + 60_000);
    expect(swept.missed).toBeGreaterThanOrEqual(1);
    expect(await h.prisma.notification.count({ where: { id: `${m24.id}:missed` } })).toBe(1);

    const missed = await request(h.app).get('/api/milestones').query({ state: 'missed' }).set(...bearer(h, 'coordinatore'));
    expect(missed.status).toBe(200);
    const rows = (missed.body as { items: MilestoneRow[] }).items;
    expect(rows.find((r) => r.id === m24.id)).toMatchObject({ state: 'missed', kind: 'art403_report_24h', case: { reference: expect.stringMatching(/^PIS-/) as string } });
    expect(rows.every((r) => r.state === 'missed')).toBe(true);

    const all = (await request(h.app).get('/api/milestones').set(...bearer(h, 'coordinatore'))).body as { items: MilestoneRow[] };
    const states = all.items.map((r) => r.state);
    expect(states.indexOf('missed')).toBeGreaterThan(states.lastIndexOf('due'));
    const soon = await request(h.app).get('/api/milestones').query({ dueBefore: m24.dueAt, kind: 'art403_report_24h' }).set(...bearer(h, 'coordinatore'));
    expect((soon.body as { items: MilestoneRow[] }).items.map((r) => r.id)).toContain(m24.id);

    // Evidence entered after the sweep: an act done within its term is met, one after it stays missed.
    const late = await evidence(caseId, m24, 'operatore1', { sentAt: iso(Date.now()), channel: 'pec' });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ state: 'met', evidence: { byId: 'u-op1', byRole: 'emergency_operator' } });

    expect((await request(h.app).get('/api/milestones').set(...bearer(h, 'operatore1'))).status).toBe(403);
    expect((await request(h.app).get('/api/milestones').query({ state: 'late' }).set(...bearer(h, 'coordinatore'))).status).toBe(400);
  });
});

describe('MSNA notices', () => {
  it('one PDF per recipient of msna_notices, each with what that recipient needs', async () => {
    const caseId = await createCase(
      h,
      sundayReport({
        categories: ['msna'],
        people: [{ role: 'subject', firstName: 'Omar', lastName: 'Haddad', birthYear: 2009, isMinor: true, gender: 'm', nationality: 'Egitto' }],
        narrative: 'Ragazzo solo in stazione, dice di avere 16 anni.',
      }),
    );
    await takeChargeAndAssess(caseId, { unaccompaniedMinor: true });
    const placement = await activeTask(h, caseId, 'msna_placement');
    const placedAt = Date.now() - HOUR;
    await complete(placement.id, 'operatore1', { facilityName: 'Comunità Il Faro', placedAt: iso(placedAt), declaredAge: 16 });
    const notices = await activeTask(h, caseId, 'msna_notices');
    await complete(notices.id, 'operatore1', forms.msnaNotices());
    const items = await eventually('SIM registration met', async () => {
      const list = await milestones(caseId);
      return list.find((m) => m.kind === 'msna_sim_registration')?.state === 'met' ? list : undefined;
    });
    expect(byKind(items, 'msna_identification_10d')).toMatchObject({ state: 'due', actor: 'territorial_service', triggerAt: iso(placedAt) });
    expect(byKind(items, 'msna_adult_facility_90d').state).toBe('due');

    const reference = (await h.prisma.case.findUniqueOrThrow({ where: { id: caseId } })).reference;
    const texts: Record<string, string> = {};
    for (const recipient of ['procura_minorenni', 'tribunale_minorenni', 'ministero_lavoro']) {
      const res = await getPdf(caseId, 'msna_notice', 'operatore1', { recipient });
      expect(res.status).toBe(200);
      texts[recipient] = await pdfText(res);
      expect(texts[recipient]).toContain(reference);
      expect(texts[recipient]).toContain(formatRome(placedAt));
      expect(texts[recipient]).toContain('Comunità Il Faro');
    }
    expect(texts.tribunale_minorenni).toContain('tutore');
    expect(texts.ministero_lavoro).toContain('SIM');
    const reportNumber = (await h.prisma.case.findUniqueOrThrow({ where: { id: caseId } })).reportNumber;
    expect(texts.procura_minorenni).toContain(reportNumber);
    expect(texts.ministero_lavoro).not.toContain(reportNumber);
    expect(texts.ministero_lavoro).not.toContain('Identificazione del minore');
    const missingRecipient = await getPdf(caseId, 'msna_notice', 'operatore1');
    expect(missingRecipient.status).toBe(422);
    expect(await h.prisma.documentGeneration.count({ where: { caseId, kind: 'msna_notice' } })).toBe(3);
  });
});
