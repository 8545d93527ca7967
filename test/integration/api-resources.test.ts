import request from 'supertest';
import { forms } from '../../scripts/lib/case-driver';
import { activeTask, type ApiHarness, bearer, createCase, type DemoUsername, eventually, startApiHarness } from './api-harness';

/**
 * The network-resource directory on the real stack: administration (validation, audit),
 * availability kept by operators, and units held by interventions (down on activation, up on
 * release or closure; exactly one of two operators gets the last bed).
 */

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('resources');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

interface ResourceItem {
  id: string;
  name: string;
  type: string;
  active: boolean;
  capacity: number | null;
  available: number | null;
  inUse: number;
  contacts: { phone: string; hours?: string };
  availability: { note: string | null; updatedAt: string | null; updatedBy: { id: string; displayName: string } | null };
}
interface Problem {
  status: number;
  detail?: string;
  code?: string;
  errors?: Array<{ path: string; message: string }>;
}

const now = () => new Date().toISOString();
let seq = 0;

function newResource(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return {
    id: `test-dormitorio-${seq}`,
    type: 'emergency_bed',
    name: `Dormitorio di prova ${seq}`,
    comuneCode: '015182',
    ambitoId: 'rhodense',
    address: 'Via di Prova 1, Rho',
    capacity: 3,
    capacityUnit: 'posti',
    contacts: { phone: '+39 02 0000 9999', email: 'prova@example.org', hours: '19:00–23:00' },
    notes: 'Risorsa di prova',
    ...overrides,
  };
}

async function create(body: Record<string, unknown>, user: DemoUsername = 'coordinatore'): Promise<ResourceItem> {
  const res = await request(h.app).post('/api/admin/resources').set(...bearer(h, user)).send(body);
  expect({ status: res.status, body: res.status === 201 ? 'ok' : (res.body as unknown) }).toEqual({ status: 201, body: 'ok' });
  return res.body as ResourceItem;
}

async function resource(id: string): Promise<ResourceItem> {
  const res = await request(h.app).get('/api/resources').set(...bearer(h, 'operatore1'));
  expect(res.status).toBe(200);
  const item = (res.body as { items: ResourceItem[] }).items.find((r) => r.id === id);
  if (item === undefined) throw new Error(`${id} not in the operators' list`);
  return item;
}

async function holdsOf(resourceId: string) {
  return h.prisma.resourceHold.findMany({ where: { resourceId }, orderBy: { taskId: 'asc' } });
}

/** A new case up to its intervention task, owned by `operator`. */
async function caseAtIntervention(operator: 'operatore1' | 'operatore2'): Promise<{ caseId: string; taskId: string }> {
  const caseId = await createCase(h);
  const takeCharge = await activeTask(h, caseId, 'take_charge');
  expect((await request(h.app).post(`/api/tasks/${takeCharge.id}/claim`).set(...bearer(h, operator))).status).toBe(200);
  expect((await request(h.app).post(`/api/tasks/${takeCharge.id}/complete`).set(...bearer(h, operator)).send({ form: forms.takeCharge })).status).toBe(200);
  const riskCheck = await activeTask(h, caseId, 'risk_check');
  const assessed = await request(h.app)
    .post(`/api/tasks/${riskCheck.id}/complete`)
    .set(...bearer(h, operator))
    .send({ form: forms.riskCheck({ withoutShelter: true, freezingConditions: true }) });
  expect(assessed.status).toBe(200);
  const intervention = await activeTask(h, caseId, 'intervention');
  return { caseId, taskId: intervention.id };
}

function placedIn(resourceId: string, type = 'emergency_bed') {
  return { outcome: 'placed', resourcesActivated: [{ resourceId, type, activatedAt: now() }] };
}

function completeIntervention(taskId: string, user: DemoUsername, form: Record<string, unknown>) {
  return request(h.app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, user)).send({ form });
}

describe('directory administration', () => {
  it('coordinators and administrators list, create, update and deactivate; every change audited', async () => {
    const body = newResource();
    const created = await create(body);
    expect(created).toMatchObject({ id: body.id, capacity: 3, available: 3, active: true, inUse: 0, contacts: { phone: '+39 02 0000 9999', hours: '19:00–23:00' } });

    const adminList = await request(h.app).get('/api/admin/resources').set(...bearer(h, 'admin'));
    expect(adminList.status).toBe(200);
    expect((adminList.body as { items: ResourceItem[] }).items.map((r) => r.id)).toEqual(expect.arrayContaining([body.id, 'rhodense-dormitorio-rho']));

    const { id: _id, ...fields } = body;
    const updated = await request(h.app)
      .put(`/api/admin/resources/${String(body.id)}`)
      .set(...bearer(h, 'admin'))
      .send({ ...fields, name: 'Dormitorio rinominato', capacity: 2 });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Dormitorio rinominato', capacity: 2, available: 2 });

    const off = await request(h.app).post(`/api/admin/resources/${String(body.id)}/deactivate`).set(...bearer(h, 'coordinatore'));
    expect(off.status).toBe(200);
    expect((off.body as ResourceItem).active).toBe(false);
    const operators = await request(h.app).get('/api/resources').set(...bearer(h, 'operatore1'));
    expect((operators.body as { items: ResourceItem[] }).items.map((r) => r.id)).not.toContain(body.id);

    const changes = await h.prisma.adminChange.findMany({ where: { entity: 'resource', entityId: String(body.id) }, orderBy: { id: 'asc' } });
    expect(changes.map((c) => [c.actorId, (c.before as { name?: string } | null)?.name ?? null, (c.after as { name: string; active: boolean }).name])).toEqual([
      ['u-coord', null, body.name],
      ['u-admin', body.name, 'Dormitorio rinominato'],
      ['u-coord', 'Dormitorio rinominato', 'Dormitorio rinominato'],
    ]);
    expect((changes[2]?.after as { active: boolean }).active).toBe(false);
  });

  it('bad input is 422 naming the field, and nothing is written', async () => {
    const before = { resources: await h.prisma.resource.count(), changes: await h.prisma.adminChange.count() };
    const cases: Array<[Record<string, unknown>, string]> = [
      [newResource({ capacity: -1 }), 'capacity'],
      [newResource({ type: 'hotel' }), 'type'],
      [newResource({ comuneCode: '999999' }), 'comuneCode'],
      [newResource({ contacts: { phone: 'chiamare Mario' } }), 'contacts.phone'],
      [newResource({ id: 'rhodense-dormitorio-rho' }), 'id'],
      [newResource({ type: 'women_shelter', address: 'Via Segreta 1' }), 'address'],
      [newResource({ ambitoId: 'altrove' }), 'ambitoId'],
    ];
    for (const [body, field] of cases) {
      const res = await request(h.app).post('/api/admin/resources').set(...bearer(h, 'coordinatore')).send(body);
      expect({ field, status: res.status, paths: ((res.body as Problem).errors ?? []).map((e) => e.path) }).toEqual({ field, status: 422, paths: [field] });
    }
    const update = await request(h.app)
      .put('/api/admin/resources/rhodense-dormitorio-rho')
      .set(...bearer(h, 'coordinatore'))
      .send({ ...newResource({ capacity: -5 }), id: undefined });
    expect(((update.body as Problem).errors ?? []).map((e) => e.path)).toEqual(['capacity']);
    expect({ resources: await h.prisma.resource.count(), changes: await h.prisma.adminChange.count() }).toEqual(before);
    expect((await resource('rhodense-dormitorio-rho')).capacity).toBe(20);
  });

  it('roles outside the matrix get 403', async () => {
    for (const user of ['operatore1', 'intake', 'as.rho'] as const) {
      expect((await request(h.app).post('/api/admin/resources').set(...bearer(h, user)).send(newResource())).status).toBe(403);
      expect((await request(h.app).get('/api/admin/resources').set(...bearer(h, user))).status).toBe(403);
    }
    expect((await request(h.app).get('/api/resources').set(...bearer(h, 'as.rho'))).status).toBe(403);
    expect((await request(h.app).patch('/api/resources/rhodense-dormitorio-rho/availability').set(...bearer(h, 'admin')).send({ available: 1 })).status).toBe(403);
  });
});

describe('availability kept by operators', () => {
  it('an operator sets the free beds; the list shows them with who and when; out of range is 422', async () => {
    const r = await create(newResource({ capacity: 10 }));
    const res = await request(h.app).patch(`/api/resources/${r.id}/availability`).set(...bearer(h, 'operatore2')).send({ available: 4, note: 'Due posti riservati' });
    expect(res.status).toBe(200);
    const listed = await resource(r.id);
    expect(listed).toMatchObject({ available: 4, availability: { note: 'Due posti riservati', updatedBy: { id: 'u-op2', displayName: 'Operatore PIS 2 (demo)' } } });
    expect(Date.parse(listed.availability.updatedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    const audited = await h.prisma.adminChange.findMany({ where: { entity: 'resource_availability', entityId: r.id } });
    expect(audited.map((c) => [c.actorId, c.before, c.after])).toEqual([['u-op2', { available: 10, note: null }, { available: 4, note: 'Due posti riservati' }]]);

    for (const available of [11, -1, 1.5]) {
      const bad = await request(h.app).patch(`/api/resources/${r.id}/availability`).set(...bearer(h, 'coordinatore')).send({ available });
      expect({ available, status: bad.status, paths: ((bad.body as Problem).errors ?? []).map((e) => e.path) }).toEqual({ available, status: 422, paths: ['available'] });
    }
    expect((await resource(r.id)).available).toBe(4);

    const filtered = await request(h.app).get('/api/resources').query({ type: 'emergency_bed', comune: '015182', availableOnly: 'true' }).set(...bearer(h, 'operatore1'));
    expect((filtered.body as { items: ResourceItem[] }).items.map((i) => i.id)).toContain(r.id);
    await request(h.app).patch(`/api/resources/${r.id}/availability`).set(...bearer(h, 'operatore1')).send({ available: 0 });
    const full = await request(h.app).get('/api/resources').query({ availableOnly: 'true' }).set(...bearer(h, 'operatore1'));
    expect((full.body as { items: ResourceItem[] }).items.map((i) => i.id)).not.toContain(r.id);
  });
});

describe('interventions hold units', () => {
  it('availability goes down on activation, up when the operator releases the unit and when the case closes', async () => {
    const r = await create(newResource({ capacity: 3 }));
    const first = await caseAtIntervention('operatore1');
    const done = await completeIntervention(first.taskId, 'operatore1', placedIn(r.id));
    expect(done.status).toBe(200);
    expect((await resource(r.id)).available).toBe(2);
    await eventually('hold confirmed by the persistence activity', async () => ((await holdsOf(r.id))[0]?.status === 'confirmed' ? true : undefined));
    expect(await h.prisma.resourceActivation.count({ where: { caseId: first.caseId, resourceId: r.id } })).toBe(1);

    const released = await request(h.app).post(`/api/resources/${r.id}/release`).set(...bearer(h, 'operatore1')).send({ taskId: first.taskId });
    expect(released.status).toBe(200);
    expect((await resource(r.id)).available).toBe(3);
    const again = await request(h.app).post(`/api/resources/${r.id}/release`).set(...bearer(h, 'operatore1')).send({ taskId: first.taskId });
    expect(again.status).toBe(409);
    expect((await resource(r.id)).available).toBe(3);

    const second = await caseAtIntervention('operatore1');
    expect((await completeIntervention(second.taskId, 'operatore1', placedIn(r.id))).status).toBe(200);
    expect((await resource(r.id)).available).toBe(2);
    const cancelled = await request(h.app).post(`/api/cases/${second.caseId}/cancel`).set(...bearer(h, 'coordinatore')).send({ reason: 'Persona accolta da parenti' });
    expect(cancelled.status).toBe(200);
    await eventually('unit back when the case closes', async () => ((await resource(r.id)).available === 3 ? true : undefined));
    expect((await holdsOf(r.id)).map((x) => [x.taskId, x.status, x.releaseReason])).toEqual(
      [
        [first.taskId, 'released', 'released'],
        [second.taskId, 'released', 'case_closed'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  }, 120_000);

  it('two operators take the last bed at once: exactly one 200, one 409 naming the resource, no double hold', async () => {
    const r = await create(newResource({ capacity: 1, name: 'Ultimo posto di prova' }));
    const [a, b] = await Promise.all([caseAtIntervention('operatore1'), caseAtIntervention('operatore2')]);
    const answers = await Promise.all([
      completeIntervention(a.taskId, 'operatore1', placedIn(r.id)),
      completeIntervention(b.taskId, 'operatore2', placedIn(r.id)),
    ]);
    expect(answers.map((x) => x.status).sort()).toEqual([200, 409]);
    const loser = answers.find((x) => x.status === 409);
    expect(loser?.body as Problem).toMatchObject({ code: 'RESOURCE_UNAVAILABLE', detail: 'Nessun posto disponibile: Ultimo posto di prova' });
    expect((await resource(r.id)).available).toBe(0);
    const holds = await holdsOf(r.id);
    expect(holds).toHaveLength(1);
    const winnerTask = answers[0]?.status === 200 ? a.taskId : b.taskId;
    const loserTask = winnerTask === a.taskId ? b.taskId : a.taskId;
    expect(holds[0]?.taskId).toBe(winnerTask);
    // Nothing changed for the loser's task: still claimed, no request recorded, can choose another resource.
    const task = await request(h.app).get(`/api/tasks/${loserTask}`).set(...bearer(h, 'coordinatore'));
    expect((task.body as { status: string }).status).toBe('claimed');
    expect(await h.prisma.actionRequest.count({ where: { taskId: loserTask, action: 'task.complete' } })).toBe(0);
  }, 120_000);

  it('a completion the workflow rejects gives the unit back; a retry with the same Idempotency-Key holds nothing more', async () => {
    const r = await create(newResource({ capacity: 2 }));
    const c = await caseAtIntervention('operatore1');
    const rejected = await completeIntervention(c.taskId, 'operatore2', placedIn(r.id));
    expect({ status: rejected.status, code: (rejected.body as Problem).code }).toEqual({ status: 409, code: 'NOT_ASSIGNEE' });
    expect((await resource(r.id)).available).toBe(2);
    expect((await holdsOf(r.id)).map((x) => [x.status, x.releaseReason])).toEqual([['released', 'rejected']]);

    const form = placedIn(r.id);
    const send = () => request(h.app).post(`/api/tasks/${c.taskId}/complete`).set(...bearer(h, 'operatore1')).set('Idempotency-Key', `resources-retry-${c.taskId}`).send({ form });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    expect((await resource(r.id)).available).toBe(1);
    await eventually('hold confirmed', async () => ((await holdsOf(r.id))[0]?.status === 'confirmed' ? true : undefined));
    expect(await holdsOf(r.id)).toHaveLength(1);
  }, 120_000);

  it('a resource not in the directory, inactive or of another type is 422 naming the field; nothing changes', async () => {
    const c = await caseAtIntervention('operatore1');
    const inactive = await create(newResource());
    await request(h.app).post(`/api/admin/resources/${inactive.id}/deactivate`).set(...bearer(h, 'coordinatore'));
    const bad: Array<[Record<string, unknown>, string]> = [
      [placedIn('non-esiste'), 'resourcesActivated.0.resourceId'],
      [placedIn(inactive.id), 'resourcesActivated.0.resourceId'],
      [placedIn('rhodense-dormitorio-rho', 'transport'), 'resourcesActivated.0.type'],
    ];
    const dormitorio = (await resource('rhodense-dormitorio-rho')).available;
    for (const [form, path] of bad) {
      const res = await completeIntervention(c.taskId, 'operatore1', form);
      expect({ path, status: res.status, paths: ((res.body as Problem).errors ?? []).map((e) => e.path) }).toEqual({ path, status: 422, paths: [path] });
    }
    expect(await h.prisma.resourceHold.count({ where: { taskId: c.taskId } })).toBe(0);
    expect((await resource('rhodense-dormitorio-rho')).available).toBe(dormitorio);
    const task = await request(h.app).get(`/api/tasks/${c.taskId}`).set(...bearer(h, 'coordinatore'));
    expect((task.body as { status: string }).status).toBe('claimed');
  }, 120_000);
});
