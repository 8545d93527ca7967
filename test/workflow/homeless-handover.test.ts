import { caseWorkflowId } from '../../src/workflows/definitions';
import {
  forms,
  LAINATE,
  nextRomeWeekday,
  OPERATOR,
  romeWallTime,
  startHarness,
  SW_LAINATE,
  type Harness,
  until,
} from './harness';

/**
 * Homeless man on a freezing Saturday night in Lainate: taken in charge, refuses a bed, re-checked
 * after 2 hours, handed over to Lainate's social service at Monday's opening (or Tuesday's when
 * Monday is a public holiday).
 */
describe('homeless man in Lainate, handover at office opening', () => {
  let h: Harness;
  // A fresh time-skipping server per scenario: each one sets its own calendar date.
  beforeEach(async () => {
    h = await startHarness('homeless-handover');
  });
  afterEach(async () => {
    await h?.teardown();
  });

  it('re-checks after a refusal and hands over on Monday at opening', async () => {
    const saturdayNight = nextRomeWeekday(await h.now(), 6, 23, 30);
    await h.sleepUntil(saturdayNight);
    const c = await h.open({ eventComuneCode: LAINATE, residenceComuneCode: LAINATE });

    let v = await until(c, (x) => x.status !== 'intake', 'scope check');
    expect(v.status).toBe('open');
    expect(v.scope?.inScope).toBe(true);
    await c.run('take_charge', OPERATOR, forms.takeCharge);
    await c.complete('risk_check', OPERATOR, forms.riskCheck());
    v = await until(c, (x) => x.risk !== undefined, 'risk');
    expect(v.risk?.level).toBe('high');
    expect(v.ownerId).toBe(OPERATOR.userId);

    const refusedAt = await h.nowIso();
    await c.complete('intervention', OPERATOR, {
      resourcesActivated: [],
      refusals: [{ offered: 'Posto letto in dormitorio', at: refusedAt, reason: 'Non vuole lasciare il cane' }],
      outcome: 'refused_help',
    });
    v = await until(c, (x) => x.decisions.some((d) => d.kind === 'welfare_recheck_scheduled'), 'recheck scheduled');
    expect(v.tasks.some((t) => t.type === 'welfare_recheck')).toBe(false);
    expect(v.decisions.some((d) => d.kind === 'welfare_recheck_scheduled')).toBe(true);

    // Nothing happens before 2 hours; at 2 hours the re-check task appears.
    await h.env.sleep('119 minutes');
    expect((await c.view()).tasks.some((t) => t.type === 'welfare_recheck')).toBe(false);
    await h.env.sleep('2 minutes');
    const recheck = await c.task('welfare_recheck');
    expect(Date.parse(recheck.createdAt) - Date.parse(refusedAt)).toBeGreaterThanOrEqual(120 * 60_000);
    await c.complete('welfare_recheck', OPERATOR, {
      checkedAt: await h.nowIso(),
      personFound: true,
      acceptedHelp: true,
      condition: 'stable',
      anotherRecheckNeeded: false,
    });

    v = await until(c, (x) => x.handover !== undefined, 'handover scheduled');
    expect(v.status).toBe('awaiting_handover');
    expect(v.handover?.comuneCode).toBe(LAINATE);
    expect(v.handover?.external).toBe(false);
    // Lainate's office opens Monday at 09:00 (seeded calendar), unless that Monday is a holiday.
    expect(v.handover?.openingAt).toBe(nextRomeWeekday(Date.parse(saturdayNight), 1, 9, 0));

    await h.sleepUntil(new Date(Date.parse(v.handover!.openingAt) - 60_000).toISOString());
    expect((await c.view()).tasks.some((t) => t.type === 'handover_ack')).toBe(false);
    await h.env.sleep('2 minutes');
    const ack = await c.task('handover_ack');
    expect(ack.comuneCode).toBe(LAINATE);
    await c.run('handover_ack', SW_LAINATE, forms.handoverAck);

    const final = await c.result();
    expect(final.status).toBe('closed');
    expect(final.closure?.outcome).toBe('taken_on_by_comune');

    // Read model and audit trail.
    const row = await h.db.prisma.case.findUniqueOrThrow({ where: { id: c.caseId } });
    expect(row.status).toBe('closed');
    expect(row.outcomeCode).toBe('taken_on_by_comune');
    expect(row.competentComuneCode).toBe(LAINATE);
    const timeline = await h.db.prisma.timelineEntry.findMany({ where: { caseId: c.caseId }, orderBy: { seq: 'asc' } });
    expect(timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(['case_opened', 'task_claimed', 'risk_assessed', 'welfare_recheck_scheduled', 'handover_scheduled', 'case_closed']));
    expect(timeline.map((t) => t.seq)).toEqual(timeline.map((_, i) => i + 1));
    const submission = await h.db.prisma.taskSubmission.findFirstOrThrow({ where: { caseId: c.caseId, type: 'intervention' } });
    expect((submission.form as { refusals: unknown[] }).refusals).toHaveLength(1);
    const summary = await h.db.prisma.handoverSummary.findUniqueOrThrow({ where: { caseId: c.caseId } });
    expect(summary.comuneCode).toBe(LAINATE);
    expect(c.workflowId).toBe(caseWorkflowId(c.caseId));
  });

  it('hands over on Tuesday when Monday is Easter Monday (Easter weekend)', async () => {
    // Easter 2027 is 28 March: a report on Holy Saturday night waits for Tuesday 30 March.
    await h.sleepUntil(romeWallTime('2027-03-27', 23, 0));
    const c = await h.open({ eventComuneCode: LAINATE, residenceComuneCode: LAINATE });
    const scoped = await until(c, (x) => x.scope !== undefined, 'scope');
    expect(await h.nowIso()).toMatch(/^2027-03-27T22:/);
    expect(scoped.scope).toEqual({ inScope: true, reasons: [] });
    await c.run('take_charge', OPERATOR, forms.takeCharge);
    await c.complete('risk_check', OPERATOR, forms.riskCheck());
    await c.complete('intervention', OPERATOR, forms.interventionPlaced(await h.nowIso()));
    const v = await until(c, (x) => x.handover !== undefined, 'handover scheduled');
    expect(v.status).toBe('awaiting_handover');
    const opening = v.handover!.openingAt;
    expect(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date(opening))).toBe('2027-03-30');
    await h.sleepUntil(opening);
    await h.env.sleep('1 minute');
    await c.run('handover_ack', SW_LAINATE, forms.handoverAck);
    expect((await c.result()).closure?.outcome).toBe('taken_on_by_comune');
  });
});
