import { isOfficeOpen, type OfficeCalendar } from '../../src/calendar';
import { moveHandoverUpdate, overrideScopeUpdate } from '../../src/workflows/definitions';
import {
  COORDINATOR,
  expectRejected,
  forms,
  LAINATE,
  MILANO,
  nextRomeWeekday,
  openAndAssess,
  openSaturdayNight,
  OPERATOR,
  OPERATOR_2,
  startHarness,
  SW_LAINATE,
  type Harness,
  until,
} from './harness';

describe('timers, escalations and scope', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('timeouts');
  });
  afterEach(async () => {
    await h?.teardown();
  });

  it('escalates an unclaimed case to the coordinator after 15 minutes', async () => {
    const c = await openSaturdayNight(h);
    const takeCharge = await c.task('take_charge');
    await h.env.sleep('14 minutes');
    expect((await c.view()).tasks.some((t) => t.type === 'escalation')).toBe(false);
    await h.env.sleep('2 minutes');
    const v = await until(c, (x) => x.tasks.some((t) => t.type === 'escalation'), 'escalation');
    const escalation = v.tasks.find((t) => t.type === 'escalation')!;
    expect(escalation).toMatchObject({ candidateRole: 'coordinator', subjectTaskId: takeCharge.id, reason: 'unclaimed' });
    expect(v.overdueSince).toBe(takeCharge.dueAt);
    expect(h.notifier.sent.some((n) => n.kind === 'task_created' && n.taskId === escalation.id && n.recipientRole === 'coordinator')).toBe(true);
    // The coordinator records what was done; the case goes on when an operator takes it.
    await c.run('escalation', COORDINATOR, { action: 'contacted_operator', notes: 'Chiamato il reperibile' });
    await c.run('take_charge', OPERATOR, forms.takeCharge);
    const after = await until(c, (x) => x.tasks.some((t) => t.type === 'risk_check'), 'risk check');
    expect(after.overdueSince).toBeUndefined();
    const row = await h.db.prisma.case.findUniqueOrThrow({ where: { id: c.caseId } });
    expect(row.overdueSince).toBeNull();
  });

  it('lets exactly one of two operators claim a task', async () => {
    const c = await openSaturdayNight(h);
    const results = await Promise.allSettled([c.claim('take_charge', OPERATOR), c.claim('take_charge', OPERATOR_2)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as { cause?: { type?: string } }).cause?.type).toBe('ALREADY_CLAIMED');
  });

  it('redirects a report made while the office is open, unless the coordinator overrides', async () => {
    // A Tuesday 10:00 in Lainate when its office is open (not a holiday): PIS is not competent.
    await h.sleepUntil(await nextOpenTuesdayMorning(h));
    const c = await h.open({ eventComuneCode: LAINATE });
    const v = await until(c, (x) => x.status === 'scope_review', 'scope review');
    expect(v.scope).toEqual({ inScope: false, reasons: ['offices_open'] });
    const handle = h.env.client.workflow.getHandle(c.workflowId);
    await expectRejected(handle.executeUpdate(overrideScopeUpdate, { args: [{ actor: OPERATOR, reason: 'urgente' }] }), 'WRONG_ROLE');
    await handle.executeUpdate(overrideScopeUpdate, { args: [{ actor: COORDINATOR, reason: 'Servizio sociale irraggiungibile' }] });
    await c.task('take_charge');
    const after = await c.view();
    expect(after.scope).toMatchObject({ overriddenBy: COORDINATOR.userId, overrideReason: 'Servizio sociale irraggiungibile' });
  });

  it('hands a resident of a Comune outside the Ambito over externally', async () => {
    const c = await openAndAssess(h, { eventComuneCode: LAINATE, residenceComuneCode: MILANO }, {});
    await c.complete('intervention', OPERATOR, forms.interventionPlaced(await h.nowIso()));
    const v = await until(c, (x) => x.handover !== undefined, 'handover');
    expect(v.handover).toMatchObject({ comuneCode: MILANO, external: true });
    const task = await c.task('external_handover');
    expect(task.candidateRole).toBe('coordinator');
    await c.run('external_handover', COORDINATOR, { recipientService: 'Servizi sociali Comune di Milano', sentAt: await h.nowIso(), channel: 'pec' });
    expect((await c.result()).closure?.outcome).toBe('handed_over_external');
  });

  it('reminds, then escalates an unacknowledged handover; a moved handover time moves the timer', async () => {
    const c = await openAndAssess(h, { eventComuneCode: LAINATE, residenceComuneCode: LAINATE }, {});
    await c.complete('intervention', OPERATOR, forms.interventionPlaced(await h.nowIso()));
    const v = await until(c, (x) => x.handover !== undefined, 'handover');
    const moved = new Date(Date.parse(v.handover!.openingAt) + 2 * 3_600_000).toISOString();
    const handle = h.env.client.workflow.getHandle(c.workflowId);
    await handle.executeUpdate(moveHandoverUpdate, { args: [{ actor: COORDINATOR, at: moved, reason: 'Assistente sociale in servizio dalle 11' }] });
    await h.sleepUntil(v.handover!.openingAt);
    await h.env.sleep('1 hour');
    expect((await c.view()).tasks.some((t) => t.type === 'handover_ack')).toBe(false);
    await h.sleepUntil(moved);
    await h.env.sleep('1 minute');
    const ack = await c.task('handover_ack');
    expect(Date.parse(ack.createdAt)).toBeGreaterThanOrEqual(Date.parse(moved));
    await h.env.sleep('2 hours');
    await until(c, (x) => x.tasks.find((t) => t.id === ack.id)?.remindedAt !== undefined, 'reminder');
    expect(h.notifier.sent.some((n) => n.kind === 'task_reminder' && n.recipientRole === 'social_worker' && n.comuneCode === LAINATE)).toBe(true);
    await h.env.sleep('2 hours');
    await until(c, (x) => x.tasks.some((t) => t.type === 'escalation' && t.subjectTaskId === ack.id), 'escalation');
    await c.run('handover_ack', SW_LAINATE, { takenOn: false, caseWorkerName: 'Dott. Neri', reason: 'Situazione risolta, nessuna presa in carico' });
    const final = await c.result();
    expect(final.closure).toMatchObject({ outcome: 'resolved', reason: 'Situazione risolta, nessuna presa in carico' });
  });
});

/** The next Tuesday 10:00 at which Lainate's office is open: a Tuesday may be a holiday (8 December). */
async function nextOpenTuesdayMorning(h: Harness): Promise<string> {
  const comune = await h.db.prisma.comune.findUniqueOrThrow({ where: { code: LAINATE } });
  let from = await h.now();
  for (let week = 0; week < 8; week++) {
    const candidate = nextRomeWeekday(from, 2, 10, 0);
    if (isOfficeOpen(comune.calendar as unknown as OfficeCalendar, candidate)) return candidate;
    from = Date.parse(candidate) + 60_000;
  }
  throw new Error('no open Tuesday morning in eight weeks');
}
