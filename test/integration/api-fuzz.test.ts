import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import request from 'supertest';
import { caseWorkflowId, escalateCaseUpdate, noteAddedSignal } from '../../src/workflows/definitions';
import { activeTask, type ApiHarness, bearer, createCase, eventually, startApiHarness, sundayReport } from './api-harness';

/**
 * Control characters and odd encodings into every free-text field of every mutating endpoint:
 * each answers 4xx naming the field, nothing changes (read model and workflow at the same
 * revision as before, no note, no case), and the case still works afterwards. Before the text
 * rule, a NUL in a reason froze the case (PostgreSQL refuses it in jsonb, 22P05) and a NUL in a
 * note, an intake field or the login username answered 500.
 */

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('fuzz');
});
afterAll(async () => {
  await h?.close();
});

const BAD: Record<string, string> = {
  NUL: 'ab\u0000cd',
  SOH: 'ab\u0001cd',
  ESC: 'ab\u001b[2Jcd',
  DEL: 'ab\u007fcd',
  C1: 'ab\u0085cd',
  'lone surrogate': 'ab\ud800cd',
  'bidi override': 'ab\u202ecd',
};
const CASES = Object.entries(BAD);
const DAY = 86_400_000;

interface CaseFile {
  case: { revision: number; status: string };
  report: { narrative: string };
  timeline: Array<{ kind: string; data: Record<string, unknown> }>;
  notes: Array<{ text: string }>;
  tasks: { open: Array<{ id: string; status: string }> };
  submissions: Array<{ taskId: string; form: Record<string, unknown> }>;
  live?: { revision: number } | null;
}

async function caseFile(caseId: string, live = false): Promise<CaseFile> {
  const res = await request(h.app).get(`/api/cases/${caseId}`).query(live ? { live: 'true' } : {}).set(...bearer(h, 'coordinatore'));
  if (res.status !== 200) throw new Error(`GET case answered ${res.status}`);
  return res.body as CaseFile;
}

/** The case once the read model has caught up with the workflow: what "nothing changed" compares. */
async function settled(caseId: string) {
  return eventually(`read model of ${caseId} at the workflow's revision`, async () => {
    const f = await caseFile(caseId, true);
    if (!f.live || f.live.revision !== f.case.revision) return undefined;
    return {
      revision: f.case.revision,
      status: f.case.status,
      timeline: f.timeline.map((e) => e.kind),
      notes: f.notes.length,
      openTasks: f.tasks.open.map((t) => `${t.id}:${t.status}`),
    };
  });
}

function expectFieldProblem(res: request.Response, path: string, status = 422): void {
  expect({ status: res.status, type: res.headers['content-type'] as string }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) as string });
  const errors = (res.body as { errors?: Array<{ path: string; message: string }> }).errors ?? [];
  expect(errors.map((e) => e.path)).toContain(path);
  expect(JSON.stringify(res.body)).not.toMatch(/ab.cd/);
}

describe('free text with control characters and odd encodings', () => {
  let caseId: string;
  let takeCharge: string;
  let before: Awaited<ReturnType<typeof settled>>;

  beforeAll(async () => {
    caseId = await createCase(h);
    takeCharge = (await activeTask(h, caseId, 'take_charge')).id;
    before = await settled(caseId);
  });

  it.each(CASES)('login username with %s: 422 naming the field', async (_label, bad) => {
    const res = await request(h.app).post('/api/auth/login').send({ username: `coord${bad}`, password: 'demo-coord-pis' });
    expectFieldProblem(res, 'username');
  });

  const INTAKE_FIELDS: Array<[string, (bad: string) => Record<string, unknown>]> = [
    ['officerName', (bad) => ({ officerName: bad })],
    ['reportNumber', (bad) => ({ reportNumber: `CC-${bad}` })],
    ['eventAddress', (bad) => ({ eventAddress: bad })],
    ['narrative', (bad) => ({ narrative: bad })],
    ['people.0.firstName', (bad) => ({ people: [{ role: 'subject', firstName: bad }] })],
    ['people.0.lastName', (bad) => ({ people: [{ role: 'subject', lastName: bad }] })],
    ['people.0.nationality', (bad) => ({ people: [{ role: 'subject', nationality: bad }] })],
    ['people.0.notes', (bad) => ({ people: [{ role: 'subject', notes: bad }] })],
  ];

  it('intake: every text field × every bad character answers 422 naming the field; no case is created', async () => {
    const count = await h.prisma.case.count();
    for (const [path, patch] of INTAKE_FIELDS) {
      for (const [, bad] of CASES) {
        const res = await request(h.app).post('/api/cases').set(...bearer(h, 'intake')).send(sundayReport(patch(bad)));
        expectFieldProblem(res, path);
      }
    }
    expect(await h.prisma.case.count()).toBe(count);
  });

  it('intake: implausible reportedAt answers 422 naming it (9999, 0000, the future, too old)', async () => {
    const count = await h.prisma.case.count();
    for (const reportedAt of ['9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', new Date(Date.now() + DAY).toISOString(), new Date(Date.now() - 60 * DAY).toISOString()]) {
      const res = await request(h.app).post('/api/cases').set(...bearer(h, 'intake')).send(sundayReport({ reportedAt }));
      expectFieldProblem(res, 'reportedAt');
    }
    expect(await h.prisma.case.count()).toBe(count);
  });

  it.each(CASES)('case actions with %s in the text: 422 naming the field', async (_label, bad) => {
    const coord = bearer(h, 'coordinatore');
    expectFieldProblem(await request(h.app).post(`/api/cases/${caseId}/notes`).set(...bearer(h, 'operatore1')).send({ text: bad }), 'text');
    expectFieldProblem(await request(h.app).post(`/api/cases/${caseId}/escalate`).set(...bearer(h, 'intake')).send({ reason: bad }), 'reason');
    expectFieldProblem(await request(h.app).post(`/api/cases/${caseId}/cancel`).set(...coord).send({ reason: bad }), 'reason');
    expectFieldProblem(await request(h.app).post(`/api/cases/${caseId}/override-scope`).set(...coord).send({ reason: bad }), 'reason');
    expectFieldProblem(
      await request(h.app).post(`/api/cases/${caseId}/move-handover`).set(...coord).send({ at: new Date(Date.now() + DAY).toISOString(), reason: bad }),
      'reason',
    );
    expectFieldProblem(await request(h.app).post(`/api/tasks/${takeCharge}/reassign`).set(...coord).send({ assigneeId: 'u-op2', reason: bad }), 'reason');
    expectFieldProblem(await request(h.app).post(`/api/tasks/${takeCharge}/reassign`).set(...coord).send({ assigneeId: `u-op2${bad}`, reason: 'Turno cambiato' }), 'assigneeId');
    expectFieldProblem(
      await request(h.app).post(`/api/tasks/${takeCharge}/complete`).set(...bearer(h, 'operatore1')).send({ form: { etaMinutes: 10, notes: bad } }),
      'notes',
    );
  });

  it('implausible dates of move-handover and task completion answer 422 naming them', async () => {
    const coord = bearer(h, 'coordinatore');
    for (const at of ['9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z', new Date(Date.now() - DAY).toISOString(), new Date(Date.now() + 60 * DAY).toISOString()]) {
      expectFieldProblem(await request(h.app).post(`/api/cases/${caseId}/move-handover`).set(...coord).send({ at, reason: 'Ufficio chiuso' }), 'at');
    }
    for (const submittedAt of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', new Date(Date.now() + DAY).toISOString(), new Date(Date.now() - 60 * DAY).toISOString()]) {
      expectFieldProblem(
        await request(h.app).post(`/api/tasks/${takeCharge}/complete`).set(...bearer(h, 'operatore1')).send({ form: { etaMinutes: 10 }, submittedAt }),
        'submittedAt',
      );
    }
  });

  it('invalid UTF-8 bytes (overlong, truncated, stray) in a raw body answer 400', async () => {
    for (const bytes of [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xe2, 0x82], [0xff], [0xed, 0xa0, 0x80]]) {
      const body = (field: string, prefix: string) => Buffer.concat([Buffer.from(`${prefix}"${field}":"x`), Buffer.from(bytes), Buffer.from('y"}')]);
      for (const [path, user, raw] of [
        [`/api/cases/${caseId}/notes`, 'operatore1', body('text', '{')],
        [`/api/cases/${caseId}/escalate`, 'intake', body('reason', '{')],
        ['/api/auth/login', 'intake', body('username', '{"password":"x",')],
      ] as const) {
        const res = await request(h.app).post(path).set(...bearer(h, user)).set('Content-Type', 'application/json').serialize((b: unknown) => b as string).send(raw);
        expect({ path, status: res.status, code: (res.body as { code?: string }).code }).toEqual({ path, status: 400, code: 'INVALID_UTF8' });
      }
    }
  });

  it('malformed percent-encoding in any route parameter answers 400 problem+json', async () => {
    const coord = bearer(h, 'coordinatore');
    for (const bad of ['%E0%A4%A', '%ZZ', '%', '%C0%AF%']) {
      for (const [method, path] of [
        ['get', `/api/cases/${bad}`],
        ['post', `/api/cases/${bad}/notes`],
        ['post', `/api/cases/${bad}/escalate`],
        ['post', `/api/cases/${bad}/cancel`],
        ['post', `/api/cases/${bad}/override-scope`],
        ['post', `/api/cases/${bad}/move-handover`],
        ['get', `/api/tasks/${bad}`],
        ['post', `/api/tasks/${bad}/claim`],
        ['post', `/api/tasks/${bad}/complete`],
        ['post', `/api/tasks/${bad}/reassign`],
      ] as const) {
        const res = await request(h.app)[method](path).set(...coord).send({});
        expect({ path, status: res.status, type: res.headers['content-type'] as string }).toEqual({ path, status: 400, type: expect.stringMatching(/^application\/problem\+json/) as string });
      }
    }
  });

  it('updates and signals sent straight to Temporal are refused by the workflow too', async () => {
    const handle = h.client.workflow.getHandle(caseWorkflowId(caseId));
    for (const [, bad] of CASES) {
      const err = await handle.executeUpdate(escalateCaseUpdate, { args: [{ actor: { userId: 'u-coord', role: 'coordinator' }, reason: bad }] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (err as WorkflowUpdateFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect((cause as ApplicationFailure).type).toBe('INVALID_REQUEST');
    }
    // A note signal must carry the id of a stored note: free text in its place is ignored.
    await handle.signal(noteAddedSignal, { noteId: 'x\u0000y', actor: { userId: 'u-op1', role: 'emergency_operator' }, at: new Date().toISOString() });
    await handle.signal(noteAddedSignal, { noteId: 'ok-id', actor: { userId: 'u-op1', role: 'emergency_operator' }, at: '0000-01-01\u0000' });
  });

  it('nothing changed, and the case still works: a note, an escalation and the completion succeed', async () => {
    expect(await settled(caseId)).toEqual(before);

    const note = await request(h.app).post(`/api/cases/${caseId}/notes`).set(...bearer(h, 'operatore1')).send({ text: 'Richiamato il 112' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ signalled: true });
    const escalated = await request(h.app).post(`/api/cases/${caseId}/escalate`).set(...bearer(h, 'intake')).send({ reason: 'Nessun operatore in zona' });
    expect(escalated.status).toBe(200);
    const done = await request(h.app).post(`/api/tasks/${takeCharge}/complete`).set(...bearer(h, 'operatore1')).send({ form: { etaMinutes: 15, notes: 'Arrivo con Jose\u0301' } });
    expect(done.status).toBe(200);

    const after = await settled(caseId);
    expect(after.revision).toBeGreaterThan(before.revision);
    expect(after.timeline.filter((k) => k === 'note_added')).toHaveLength(1);
    expect(after.timeline).toContain('case_escalated');
    expect(after.notes).toBe(before.notes + 1);
    expect(after.openTasks).not.toContain(`${takeCharge}:open`);
  });

  it('normalises to NFC: a decomposed "é" is stored composed (form, note, intake)', async () => {
    const f = await eventually('submission stored', async () => {
      const file = await caseFile(caseId);
      return file.submissions.some((s) => s.taskId === takeCharge) ? file : undefined;
    });
    const notes = f.submissions.find((s) => s.taskId === takeCharge)?.form.notes;
    expect(notes).toBe('Arrivo con José');
    expect((notes as string).includes('e\u0301')).toBe(false);

    const note = await request(h.app).post(`/api/cases/${caseId}/notes`).set(...bearer(h, 'operatore1')).send({ text: 'Caffe\u0300 offerto' });
    expect(note.status).toBe(201);
    expect((note.body as { note: { text: string } }).note.text).toBe('Caffè offerto');

    const other = await createCase(h, sundayReport({ narrative: 'Uomo al freddo davanti al caffe\u0300' }));
    expect((await caseFile(other)).report.narrative).toBe('Uomo al freddo davanti al caffè');
  });
});
