import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { forms } from '../../scripts/lib/case-driver';
import { recentOfficeHours } from '../helpers/dates';
import { createDataConverter } from '../../src/temporal/data-converter';
import { parseKeyring } from '../../src/temporal/keyring';
import { activeTask, type ApiHarness, bearer, createCase, eventually, startApiHarness, sundayReport } from './api-harness';

/** Whole cases driven through the API on the real worker, dev server and database. */

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('protocol');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const now = () => new Date().toISOString();
/** Every risk question answered no (the console's defaults). */
const noRisk = forms.riskCheck().questions;

interface CaseState {
  status: string;
  step: string;
  closure: { outcome: string } | null;
  tasks: Array<{ id: string; type: string; status: string; assigneeId: string | null }>;
}
interface CaseFile {
  case: { status: string; step: string; handoverAt: string | null; competentComuneCode: string | null; outcomeCode: string | null; riskLevel: string | null };
  timeline: Array<{ kind: string; actorId: string }>;
  tasks: { open: Array<{ id: string; type: string }>; past: Array<{ id: string; type: string; status: string }> };
  placements: Array<{ address: string | null; addressHidden?: boolean }>;
  submissions: Array<{ type: string; form: Record<string, unknown> }>;
  notes: Array<{ text: string }>;
}

async function caseFile(caseId: string, user: Parameters<typeof bearer>[1] = 'coordinatore'): Promise<CaseFile> {
  const res = await request(h.app).get(`/api/cases/${caseId}`).set(...bearer(h, user));
  expect(res.status).toBe(200);
  return res.body as CaseFile;
}

async function complete(taskId: string, user: Parameters<typeof bearer>[1], form: Record<string, unknown>): Promise<CaseState> {
  const res = await request(h.app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, user)).send({ form });
  expect({ status: res.status, body: res.status === 200 ? 'ok' : (res.body as unknown) }).toEqual({ status: 200, body: 'ok' });
  return res.body as CaseState;
}

async function takeChargeAndAssess(caseId: string, questions: Record<string, unknown>): Promise<void> {
  const takeCharge = await activeTask(h, caseId, 'take_charge');
  const claimed = await request(h.app).post(`/api/tasks/${takeCharge.id}/claim`).set(...bearer(h, 'operatore1'));
  expect(claimed.status).toBe(200);
  expect((claimed.body as CaseState).tasks.find((t) => t.id === takeCharge.id)).toMatchObject({ status: 'claimed', assigneeId: 'u-op1' });
  await complete(takeCharge.id, 'operatore1', { etaMinutes: 20 });
  const riskCheck = await activeTask(h, caseId, 'risk_check');
  expect(riskCheck.assigneeId).toBe('u-op1');
  await complete(riskCheck.id, 'operatore1', { questions: { ...noRisk, ...questions } });
}

describe('homeless man on a freezing night', () => {
  it('intake → take charge → risk check → intervention → handover acknowledged by the Rho social worker', async () => {
    const caseId = await createCase(h, sundayReport());
    await takeChargeAndAssess(caseId, { withoutShelter: true, freezingConditions: true });

    const intervention = await activeTask(h, caseId, 'intervention');
    await complete(intervention.id, 'operatore1', {
      outcome: 'placed',
      resourcesActivated: [{ type: 'emergency_bed', activatedAt: now() }],
      visits: [{ at: now(), place: 'Portico della stazione' }],
    });

    // The handover waits for the Rho office to open; the coordinator moves it to now.
    const waiting = await eventually('awaiting handover', async () => {
      const file = await caseFile(caseId);
      return file.case.status === 'awaiting_handover' && file.case.handoverAt !== null ? file : undefined;
    });
    expect(Date.parse(waiting.case.handoverAt as string)).toBeGreaterThan(Date.now());
    expect(waiting.case.competentComuneCode).toBe('015182');
    const early = await request(h.app).post(`/api/cases/${caseId}/move-handover`).set(...bearer(h, 'operatore1')).send({ at: now(), reason: 'ufficio aperto in anticipo' });
    expect(early.status).toBe(403);
    const moved = await request(h.app).post(`/api/cases/${caseId}/move-handover`).set(...bearer(h, 'coordinatore')).send({ at: now(), reason: 'ufficio aperto in anticipo' });
    expect(moved.status).toBe(200);

    const ack = await activeTask(h, caseId, 'handover_ack');
    expect(ack.comuneCode).toBe('015182');
    const inbox = await request(h.app).get('/api/tasks').set(...bearer(h, 'as.rho'));
    expect((inbox.body as { items: Array<{ id: string }> }).items.map((t) => t.id)).toContain(ack.id);
    const lainateInbox = await request(h.app).get('/api/tasks').set(...bearer(h, 'as.lainate'));
    expect((lainateInbox.body as { items: Array<{ id: string }> }).items.map((t) => t.id)).not.toContain(ack.id);
    expect((await request(h.app).post(`/api/tasks/${ack.id}/claim`).set(...bearer(h, 'as.lainate'))).status).toBe(404);
    expect((await request(h.app).post(`/api/tasks/${ack.id}/claim`).set(...bearer(h, 'operatore1'))).status).toBe(403);

    const closed = await complete(ack.id, 'as.rho', { takenOn: true, caseWorkerName: 'Dott.ssa Verdi' });
    expect(closed).toMatchObject({ status: 'closed', closure: { outcome: 'taken_on_by_comune' } });

    const file = await eventually('closed read model', async () => {
      const f = await caseFile(caseId, 'as.rho');
      return f.case.status === 'closed' ? f : undefined;
    });
    expect(file.case.outcomeCode).toBe('taken_on_by_comune');
    expect(file.tasks.open).toEqual([]);
    expect(file.tasks.past.map((t) => t.type)).toEqual(['take_charge', 'risk_check', 'intervention', 'handover_ack']);
    expect(file.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['task_claimed', 'task_completed', 'handover_moved', 'case_closed']));
    expect(file.timeline.find((e) => e.kind === 'handover_moved')?.actorId).toBe('u-coord');

    const lateNote = await request(h.app).post(`/api/cases/${caseId}/notes`).set(...bearer(h, 'operatore1')).send({ text: 'troppo tardi' });
    expect(lateNote.status).toBe(409);
  });
});

describe('two operators claim the same task', () => {
  it('one gets 200, the other 409, and the task has one assignee', async () => {
    const caseId = await createCase(h, sundayReport());
    const task = await activeTask(h, caseId, 'take_charge');
    const [a, b] = await Promise.all([
      request(h.app).post(`/api/tasks/${task.id}/claim`).set(...bearer(h, 'operatore1')),
      request(h.app).post(`/api/tasks/${task.id}/claim`).set(...bearer(h, 'operatore2')),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(loser.body).toMatchObject({ code: 'ALREADY_CLAIMED', status: 409 });
    const winner = a.status === 200 ? 'u-op1' : 'u-op2';
    const row = await h.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(row).toMatchObject({ status: 'claimed', assigneeId: winner });

    // The loser cannot complete it either; the coordinator can hand it over with a reason.
    const loserUser = winner === 'u-op1' ? 'operatore2' : 'operatore1';
    const steal = await request(h.app).post(`/api/tasks/${task.id}/complete`).set(...bearer(h, loserUser)).send({ form: { etaMinutes: 5 } });
    expect(steal.status).toBe(409);
    expect(steal.body).toMatchObject({ code: 'NOT_ASSIGNEE' });
    const other = winner === 'u-op1' ? 'u-op2' : 'u-op1';
    const reassigned = await request(h.app).post(`/api/tasks/${task.id}/reassign`).set(...bearer(h, 'coordinatore')).send({ assigneeId: other, reason: 'cambio turno' });
    expect(reassigned.status).toBe(200);
    expect((reassigned.body as CaseState).tasks.find((t) => t.id === task.id)).toMatchObject({ status: 'claimed', assigneeId: other });
  });
});

describe('woman victim of violence with a protected placement', () => {
  it('only the coordinator reads the protected address', async () => {
    const caseId = await createCase(
      h,
      sundayReport({
        categories: ['women_violence'],
        people: [{ role: 'subject', firstName: 'Anna', gender: 'f' }],
        immediateDangers: ['violence_ongoing'],
        narrative: 'Donna aggredita dal compagno, chiede aiuto.',
      }),
    );
    await takeChargeAndAssess(caseId, { violenceSuspected: true, perpetratorNearby: true });
    const consent = await activeTask(h, caseId, 'av_consent');
    await complete(consent.id, 'operatore1', { consent: true, recordedAt: now(), childrenPresent: false, info1522Given: true, cavContactsGiven: true });
    const placement = await activeTask(h, caseId, 'av_protected_placement');
    await complete(placement.id, 'operatore1', { protectedAddress: 'Via Riservata 13, Milano', placedAt: now() });

    const forCoordinator = await eventually('placement in the read model', async () => {
      const f = await caseFile(caseId, 'coordinatore');
      return f.placements.length > 0 ? f : undefined;
    });
    expect(forCoordinator.placements).toEqual([expect.objectContaining({ address: 'Via Riservata 13, Milano' })]);

    for (const user of ['operatore1', 'intake', 'as.rho'] as const) {
      const res = await request(h.app).get(`/api/cases/${caseId}`).set(...bearer(h, user));
      expect(res.status).toBe(200);
      expect((res.body as CaseFile).placements).toEqual([expect.objectContaining({ address: null, addressHidden: true })]);
      expect(JSON.stringify(res.body)).not.toContain('Via Riservata');
    }
    const task = await request(h.app).get(`/api/tasks/${placement.id}`).set(...bearer(h, 'operatore1'));
    expect(JSON.stringify(task.body)).not.toContain('Via Riservata');
  });
});

describe('coordinator actions', () => {
  it('a report made while the office is open goes to scope review; the coordinator overrides it', async () => {
    // A recent Tuesday 10:30 in Rho: the social service office is open, so the case is out of PIS scope.
    const caseId = await createCase(h, sundayReport({ reportedAt: recentOfficeHours() }));
    await activeTask(h, caseId, 'scope_review');
    const bad = await request(h.app).post(`/api/cases/${caseId}/override-scope`).set(...bearer(h, 'coordinatore')).send({ reason: 'x' });
    expect(bad.status).toBe(422);
    const res = await request(h.app).post(`/api/cases/${caseId}/override-scope`).set(...bearer(h, 'coordinatore')).send({ reason: 'Ufficio irraggiungibile, urgenza' });
    expect(res.status).toBe(200);
    await activeTask(h, caseId, 'take_charge');
  });

  it('notes are saved and reach the timeline; escalation opens a coordinator task; cancel closes the case', async () => {
    const caseId = await createCase(h, sundayReport());
    const takeCharge = await activeTask(h, caseId, 'take_charge');

    const note = await request(h.app).post(`/api/cases/${caseId}/notes`).set(...bearer(h, 'operatore2')).send({ text: 'Richiamato il 112, in arrivo' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ signalled: true, note: { text: 'Richiamato il 112, in arrivo', authorId: 'u-op2' } });
    await eventually('note in the timeline', async () => ((await caseFile(caseId)).timeline.some((e) => e.kind === 'note_added') ? true : undefined));

    const escalated = await request(h.app).post(`/api/cases/${caseId}/escalate`).set(...bearer(h, 'operatore2')).send({ reason: 'Nessun operatore disponibile in zona' });
    expect(escalated.status).toBe(200);
    expect((escalated.body as CaseState).tasks.map((t) => t.type)).toContain('escalation');

    const cancelled = await request(h.app).post(`/api/cases/${caseId}/cancel`).set(...bearer(h, 'coordinatore')).send({ reason: 'Segnalazione duplicata di altro caso' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'closed', closure: { outcome: 'cancelled' } });

    const again = await request(h.app).post(`/api/cases/${caseId}/cancel`).set(...bearer(h, 'coordinatore')).send({ reason: 'di nuovo' });
    expect(again.status).toBe(409);
    const claim = await request(h.app).post(`/api/tasks/${takeCharge.id}/claim`).set(...bearer(h, 'operatore1'));
    expect(claim.status).toBe(409);
    expect(claim.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('with the production (encrypting) data converter', () => {
  let enc: ApiHarness;
  beforeAll(async () => {
    const keyring = parseKeyring(`k1:${randomBytes(32).toString('base64')}`);
    enc = await startApiHarness('protocol_encrypted', { dataConverter: createDataConverter(keyring) });
  }, 120_000);
  afterAll(async () => {
    await enc?.close();
  });

  it('workflow rejections still map to problem details with their code and message', async () => {
    const caseId = await createCase(enc);
    const task = await activeTask(enc, caseId, 'take_charge');
    expect((await request(enc.app).post(`/api/tasks/${task.id}/claim`).set(...bearer(enc, 'operatore1'))).status).toBe(200);
    const conflict = await request(enc.app).post(`/api/tasks/${task.id}/claim`).set(...bearer(enc, 'operatore2'));
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ code: 'ALREADY_CLAIMED', detail: 'Attività già presa in carico da un altro operatore' });
    const wrongRole = await request(enc.app).post(`/api/tasks/${task.id}/claim`).set(...bearer(enc, 'coordinatore'));
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body).toMatchObject({ code: 'WRONG_ROLE' });
    const file = await request(enc.app).get(`/api/cases/${caseId}`).query({ live: 'true' }).set(...bearer(enc, 'operatore1'));
    expect(file.body).toMatchObject({ live: { caseId, step: 'take_charge' } });
  });
});
