import request from 'supertest';
import { forms } from '../../scripts/lib/case-driver';
import { enqueueHandoverRecompute } from '../../src/admin/handover-recompute';
import { formatIsoDate } from '../../src/calendar/dates';
import { wallClockAt } from '../../src/calendar/zoned';
import { createLogger } from '../../src/api/logger';
import { reconcileOnce } from '../../src/cases/reconciler';
import { activeTask, type ApiHarness, bearer, createCase, eventually, startApiHarness, sundayReport } from './api-harness';

/**
 * Administration of Comuni, Ambiti, office calendars and protocol settings on the real stack:
 * a calendar change moves a waiting case's handover (signal from the outbox, after the commit or
 * by the reconciler) and the timeline says why; bad input is 422 naming the field and writes
 * nothing; every change leaves an AdminChange row.
 */

let h: ApiHarness;
const RHO = '015182';

beforeAll(async () => {
  h = await startApiHarness('admin_calendar');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const now = () => new Date().toISOString();
const romeDate = (iso: string) => formatIsoDate(wallClockAt(Date.parse(iso), 'Europe/Rome'));

interface Opening {
  opensAt: string;
  closesAt: string;
  label: string;
}
interface CaseFile {
  case: { status: string; handoverAt: string | null };
  timeline: Array<{ kind: string; data: Record<string, unknown> }>;
}

async function caseFile(caseId: string): Promise<CaseFile> {
  const res = await request(h.app).get(`/api/cases/${caseId}`).set(...bearer(h, 'coordinatore'));
  expect(res.status).toBe(200);
  return res.body as CaseFile;
}

async function complete(taskId: string, form: Record<string, unknown>): Promise<void> {
  const res = await request(h.app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, 'operatore1')).send({ form });
  expect(res.status).toBe(200);
}

/** A case of Rho driven to the wait for the office opening. */
async function caseAwaitingHandover(): Promise<{ caseId: string; handoverAt: string }> {
  const caseId = await createCase(h, sundayReport());
  const takeCharge = await activeTask(h, caseId, 'take_charge');
  expect((await request(h.app).post(`/api/tasks/${takeCharge.id}/claim`).set(...bearer(h, 'operatore1'))).status).toBe(200);
  await complete(takeCharge.id, forms.takeCharge);
  await complete((await activeTask(h, caseId, 'risk_check')).id, forms.riskCheck({ withoutShelter: true }));
  await complete((await activeTask(h, caseId, 'intervention')).id, forms.interventionPlaced());
  const file = await eventually('awaiting handover', async () => {
    const f = await caseFile(caseId);
    return f.case.status === 'awaiting_handover' && f.case.handoverAt !== null ? f : undefined;
  });
  return { caseId, handoverAt: file.case.handoverAt as string };
}

async function openings(code = RHO, count = 5): Promise<Opening[]> {
  const res = await request(h.app).get(`/api/admin/comuni/${code}/openings`).query({ count }).set(...bearer(h, 'admin'));
  expect(res.status).toBe(200);
  return (res.body as { openings: Opening[] }).openings;
}

async function counts(): Promise<{ changes: number; outbox: number; calendar: string }> {
  const comune = await h.prisma.comune.findUniqueOrThrow({ where: { code: RHO } });
  return { changes: await h.prisma.adminChange.count(), outbox: await h.prisma.handoverRecompute.count(), calendar: JSON.stringify(comune.calendar) };
}

async function calendarOfRho(): Promise<Record<string, unknown>> {
  const res = await request(h.app).get(`/api/admin/comuni/${RHO}/calendar`).set(...bearer(h, 'coordinatore'));
  expect(res.status).toBe(200);
  return (res.body as { calendar: Record<string, unknown> }).calendar;
}

describe('an extra closure moves the waiting handover to the next opening', () => {
  it('preview and case follow the new calendar; the timeline says why; the change is audited', async () => {
    const { caseId, handoverAt } = await caseAwaitingHandover();
    const before = await openings();
    expect(before).toHaveLength(5);
    expect(before[0]?.opensAt).toBe(handoverAt);

    const day = romeDate(handoverAt);
    const res = await request(h.app)
      .post(`/api/admin/comuni/${RHO}/closures`)
      .set(...bearer(h, 'admin'))
      .send({ date: day, reason: 'Chiusura per disinfestazione' });
    expect(res.status).toBe(201);
    const after = (res.body as { openings: Opening[]; casesToRecompute: number }).openings;
    expect((res.body as { casesToRecompute: number }).casesToRecompute).toBe(1);
    expect(romeDate(after[0]?.opensAt as string)).not.toBe(day);
    expect(Date.parse(after[0]?.opensAt as string)).toBeGreaterThan(Date.parse(handoverAt));
    expect(await openings()).toEqual(after);

    const moved = await eventually('handover moved', async () => {
      const f = await caseFile(caseId);
      return f.case.handoverAt === after[0]?.opensAt ? f : undefined;
    });
    const entry = moved.timeline.find((e) => e.kind === 'handover_recomputed');
    expect(entry?.data).toMatchObject({ from: handoverAt, to: after[0]?.opensAt });
    expect(String(entry?.data.reason)).toMatch(/^Calendario dell'ufficio modificato: chiusura straordinaria il .* \(Chiusura per disinfestazione\) — prossima apertura: /);
    expect(String(entry?.data.reason)).toContain(after[0]?.label);

    const audit = await h.prisma.adminChange.findFirst({ where: { entity: 'comune_calendar', entityId: RHO }, orderBy: { id: 'desc' } });
    expect(audit?.actorId).toBe('u-admin');
    const closuresBefore = (audit?.before as { extraClosures: unknown[] }).extraClosures;
    const closuresAfter = (audit?.after as { extraClosures: unknown[] }).extraClosures;
    expect(closuresAfter).toEqual([...closuresBefore, { date: day, reason: 'Chiusura per disinfestazione' }]);
    expect(await h.prisma.handoverRecompute.count()).toBe(0);
  });

  it('a change committed while its signals could not be sent reaches the case through the reconciler', async () => {
    const { caseId, handoverAt } = await caseAwaitingHandover();
    const day = romeDate(handoverAt);
    // The API died between the commit and the signal: the outbox row is all that is left.
    await h.prisma.$transaction(async (tx) => {
      const comune = await tx.comune.findUniqueOrThrow({ where: { code: RHO } });
      const calendar = comune.calendar as { extraClosures: Array<{ date: string; reason: string }> };
      const next = { ...calendar, extraClosures: [...calendar.extraClosures, { date: day, reason: 'Assemblea del personale' }] };
      await tx.comune.update({ where: { code: RHO }, data: { calendar: next } });
      await enqueueHandoverRecompute(tx, RHO, "Calendario dell'ufficio modificato: assemblea");
    });
    const expected = (await openings(RHO, 1))[0]?.opensAt;
    const result = await reconcileOnce({ prisma: h.prisma, client: h.client, taskQueue: h.taskQueue, logger: createLogger({ level: 'silent' }) });
    expect(result.handoverRecomputes).toBe(1);
    expect(await h.prisma.handoverRecompute.count()).toBe(0);
    const moved = await eventually('handover moved by the reconciler', async () => {
      const f = await caseFile(caseId);
      return f.case.handoverAt === expected ? f : undefined;
    });
    expect(moved.timeline.filter((e) => e.kind === 'handover_recomputed')).toHaveLength(1);
  });
});

describe('calendar changes that are refused change nothing', () => {
  const weekday = (slots: Array<{ open: string; close: string }>) => ({ '1': slots, '2': slots, '3': slots, '4': slots, '5': slots });

  it.each([
    ['closing before opening', { weeklyHours: { ...weekday([{ open: '09:00', close: '12:00' }]), '2': [{ open: '14:00', close: '13:00' }] } }, 'weeklyHours.2.0.close'],
    ['overlapping slots', { weeklyHours: { ...weekday([{ open: '09:00', close: '12:00' }]), '1': [{ open: '09:00', close: '12:00' }, { open: '11:30', close: '13:00' }] } }, 'weeklyHours.1.1'],
    ['a time that is not HH:MM', { weeklyHours: { '3': [{ open: '9', close: '12:00' }] } }, 'weeklyHours.3.0.open'],
    ['a closure ending before it starts', { extraClosures: [{ date: '2027-01-10', until: '2027-01-05', reason: 'Lavori' }] }, 'extraClosures.0.until'],
    ['a date that does not exist', { extraClosures: [{ date: '2027-02-30', reason: 'Lavori' }] }, 'extraClosures.0.date'],
    ['no opening ever', { weeklyHours: {}, extraOpenings: [] }, 'weeklyHours'],
  ])('%s => 422 naming the field', async (_what, patch, path) => {
    const current = await calendarOfRho();
    const before = await counts();
    const res = await request(h.app).put(`/api/admin/comuni/${RHO}/calendar`).set(...bearer(h, 'coordinatore')).send({ ...current, ...patch });
    expect(res.status).toBe(422);
    expect((res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain(path);
    expect(await counts()).toEqual(before);
  });

  it('a closure of every day for over a year is refused (no opening within the horizon)', async () => {
    const before = await counts();
    const res = await request(h.app)
      .post(`/api/admin/comuni/${RHO}/closures`)
      .set(...bearer(h, 'admin'))
      .send({ date: romeDate(now()), until: '2099-12-31', reason: 'Chiusura definitiva' });
    expect(res.status).toBe(422);
    expect((res.body as { errors: Array<{ path: string }> }).errors[0]?.path).toBe('weeklyHours');
    expect(await counts()).toEqual(before);
  });

  it('social workers, operators and intake may not change calendars; admins and coordinators may', async () => {
    const current = await calendarOfRho();
    for (const user of ['as.rho', 'operatore1', 'intake'] as const) {
      expect((await request(h.app).put(`/api/admin/comuni/${RHO}/calendar`).set(...bearer(h, user)).send(current)).status).toBe(403);
      expect((await request(h.app).get(`/api/admin/comuni/${RHO}/openings`).set(...bearer(h, user))).status).toBe(403);
    }
    const res = await request(h.app).put(`/api/admin/comuni/${RHO}/calendar`).set(...bearer(h, 'coordinatore')).send({ ...current, extraOpenings: [{ date: '2027-12-24', slots: [{ open: '09:00', close: '11:00' }], reason: 'Vigilia' }] });
    expect(res.status).toBe(200);
    const audit = await h.prisma.adminChange.findFirst({ where: { entity: 'comune_calendar', entityId: RHO }, orderBy: { id: 'desc' } });
    expect(audit?.actorId).toBe('u-coord');
  });

  it('an unknown Comune is 404', async () => {
    expect((await request(h.app).get('/api/admin/comuni/099999/openings').set(...bearer(h, 'admin'))).status).toBe(404);
  });
});

describe('Ambiti and Comuni', () => {
  it('creates an Ambito and adds a Comune to it, checking the ISTAT code offline', async () => {
    const ambito = await request(h.app).post('/api/admin/ambiti').set(...bearer(h, 'admin')).send({ id: 'legnanese', name: 'Ambito del Legnanese' });
    expect(ambito.status).toBe(201);
    expect((await request(h.app).post('/api/admin/ambiti').set(...bearer(h, 'admin')).send({ id: 'legnanese', name: 'Doppio' })).status).toBe(422);
    expect((await request(h.app).post('/api/admin/ambiti').set(...bearer(h, 'coordinatore')).send({ id: 'altro', name: 'Altro' })).status).toBe(403);

    const before = await h.prisma.adminChange.count();
    for (const [body, path] of [
      [{ code: '999999', name: 'Nessuno', province: 'MI', ambitoId: 'legnanese' }, 'code'],
      [{ code: RHO, name: 'Rho', province: 'MI', ambitoId: 'legnanese' }, 'code'],
      [{ code: '15118', name: 'Legnano', province: 'MI', ambitoId: 'legnanese' }, 'code'],
      [{ code: '015118', name: 'Lainate', province: 'MI', ambitoId: 'legnanese' }, 'name'],
      [{ code: '015118', name: 'Legnano', province: 'VA', ambitoId: 'legnanese' }, 'province'],
      [{ code: '015118', name: 'Legnano', province: 'MI', ambitoId: 'nessuno' }, 'ambitoId'],
    ] as const) {
      const res = await request(h.app).post('/api/admin/comuni').set(...bearer(h, 'admin')).send(body);
      expect({ status: res.status, path: (res.body as { errors?: Array<{ path: string }> }).errors?.[0]?.path }).toEqual({ status: 422, path });
    }
    expect(await h.prisma.adminChange.count()).toBe(before);
    expect(await h.prisma.comune.count({ where: { code: '015118' } })).toBe(0);

    const created = await request(h.app).post('/api/admin/comuni').set(...bearer(h, 'admin')).send({ code: '015118', name: 'Legnano', province: 'MI', ambitoId: 'legnanese' });
    expect(created.status).toBe(201);
    expect((await openings('015118', 1))).toHaveLength(1);
    const list = await request(h.app).get('/api/admin/ambiti').set(...bearer(h, 'admin'));
    expect((list.body as { items: Array<{ id: string; comuni: Array<{ code: string }> }> }).items.find((a) => a.id === 'legnanese')?.comuni.map((c) => c.code)).toEqual(['015118']);

    const renamed = await request(h.app).patch('/api/admin/ambiti/legnanese').set(...bearer(h, 'admin')).send({ name: 'Ambito territoriale del Legnanese' });
    expect(renamed.status).toBe(200);
    const audit = await h.prisma.adminChange.findMany({ where: { entity: { in: ['ambito', 'comune'] } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.entity, a.entityId, a.actorId])).toEqual([
      ['ambito', 'legnanese', 'u-admin'],
      ['comune', '015118', 'u-admin'],
      ['ambito', 'legnanese', 'u-admin'],
    ]);
    expect(audit[2]?.before).toEqual({ id: 'legnanese', name: 'Ambito del Legnanese' });
  });
});

describe('protocol settings per Ambito', () => {
  it('out of range or unknown settings => 422 naming the setting, nothing written', async () => {
    for (const [values, path] of [
      [{ takeChargeSlaMinutes: 0 }, 'values.takeChargeSlaMinutes'],
      [{ handoverAckMinutes: 1.5 }, 'values.handoverAckMinutes'],
      [{ noSuchSetting: 5 }, 'values'],
    ] as const) {
      const res = await request(h.app).put('/api/admin/ambiti/rhodense/settings').set(...bearer(h, 'admin')).send({ values });
      expect(res.status).toBe(422);
      expect((res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain(path);
    }
    const past = await request(h.app).put('/api/admin/ambiti/rhodense/settings').set(...bearer(h, 'admin')).send({ values: {}, effectiveFrom: '2020-01-01T00:00:00Z' });
    expect((past.body as { errors: Array<{ path: string }> }).errors[0]?.path).toBe('effectiveFrom');
    expect((await request(h.app).put('/api/admin/ambiti/rhodense/settings').set(...bearer(h, 'coordinatore')).send({ values: {} })).status).toBe(403);
    expect(await h.prisma.protocolSettingsVersion.count()).toBe(0);
  });

  it('a new version applies to cases created after it; a case keeps the settings it started with', async () => {
    const older = await createCase(h, sundayReport());
    const res = await request(h.app).put('/api/admin/ambiti/rhodense/settings').set(...bearer(h, 'admin')).send({ values: { takeChargeSlaMinutes: 45 } });
    expect(res.status).toBe(201);
    const answer = res.body as { effective: Record<string, number>; versions: Array<{ values: Record<string, number>; changedBy: string }>; settings: Array<{ key: string; label: string }> };
    expect(answer.effective.takeChargeSlaMinutes).toBe(45);
    expect(answer.versions[0]).toMatchObject({ values: { takeChargeSlaMinutes: 45 }, changedBy: 'u-admin' });
    expect(answer.settings.find((s) => s.key === 'takeChargeSlaMinutes')?.label).toMatch(/Presa in carico/);
    const newer = await createCase(h, sundayReport());

    const dueMinutes = async (caseId: string) => {
      const task = await activeTask(h, caseId, 'take_charge');
      const row = await h.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
      return Math.round(((row.dueAt?.getTime() ?? 0) - row.createdAt.getTime()) / 60_000);
    };
    expect(await dueMinutes(older)).toBe(15);
    expect(await dueMinutes(newer)).toBe(45);
    const audit = await h.prisma.adminChange.findFirst({ where: { entity: 'protocol_settings', entityId: 'rhodense' } });
    expect(audit).toMatchObject({ actorId: 'u-admin', before: null, after: { values: { takeChargeSlaMinutes: 45 } } });
  });
});
