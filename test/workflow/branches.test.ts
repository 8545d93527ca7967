import { cancelCaseUpdate, getCaseQuery } from '../../src/workflows/definitions';
import {
  COORDINATOR,
  expectRejected,
  forms,
  openAndAssess,
  OPERATOR,
  RHO,
  startHarness,
  SW_LAINATE,
  SW_RHO,
  type Harness,
  until,
} from './harness';

describe('protocol branches', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('branches');
  });
  afterEach(async () => {
    await h?.teardown();
  });

  it('woman with two children who consents: CAV contacted, protected placement, Codice Rosso reminder', async () => {
    const c = await openAndAssess(
      h,
      {
        eventComuneCode: RHO,
        residenceComuneCode: RHO,
        categories: ['women_violence'],
        people: [
          { role: 'subject', firstName: 'Anna', isMinor: false, gender: 'f' },
          { role: 'child', birthYear: 2018, isMinor: true },
          { role: 'child', birthYear: 2021, isMinor: true },
        ],
      },
      { violenceSuspected: true, childrenPresent: true, childrenCount: 2, withoutShelter: true, freezingConditions: false },
    );
    let v = await c.view();
    expect(v.risk).toMatchObject({ level: 'high', violence: true, minors: true });

    const now = await h.nowIso();
    // Without consent the 1522 number must be given: the form is rejected and nothing changes.
    await expectRejected(
      c.complete('av_consent', OPERATOR, { consent: false, recordedAt: now, childrenPresent: true, childrenCount: 2, info1522Given: false, cavContactsGiven: true }),
      'INVALID_FORM',
    );
    await c.complete('av_consent', OPERATOR, {
      consent: true,
      recordedAt: now,
      childrenPresent: true,
      childrenCount: 2,
      complaintFiled: true,
      complaintFiledAt: now,
      info1522Given: true,
      cavContactsGiven: true,
    });
    await c.complete('av_cav_contact', OPERATOR, { cavName: 'CAV Rhodense', operatorName: 'Operatrice reperibile', contactedAt: now, outcome: 'taken_in_charge' });
    await c.complete('av_protected_placement', OPERATOR, { protectedAddress: 'Via Segreta 7, località protetta', placedAt: now, childrenPlaced: 2 });
    await c.complete('intervention', OPERATOR, forms.interventionPlaced(now));

    // The case waits for the office once the handover target is computed (an activity after the status).
    v = await until(c, (x) => x.status === 'awaiting_handover' && x.handover !== undefined, 'handover');
    const codiceRosso = v.reminders.find((r) => r.kind === 'codice_rosso_hearing');
    expect(Date.parse(codiceRosso!.dueAt) - Date.parse(now)).toBe(3 * 86_400_000);
    expect(v.handover?.comuneCode).toBe(RHO);

    const placement = await h.db.prisma.protectedPlacement.findFirstOrThrow({ where: { caseId: c.caseId } });
    expect(placement.address).toBe('Via Segreta 7, località protetta');
    const submission = await h.db.prisma.taskSubmission.findFirstOrThrow({ where: { caseId: c.caseId, type: 'av_protected_placement' } });
    expect(JSON.stringify(submission.form)).not.toContain('Via Segreta');
    const consent = await h.db.prisma.taskSubmission.findFirstOrThrow({ where: { caseId: c.caseId, type: 'av_consent' } });
    expect(consent.submittedById).toBe(OPERATOR.userId);
    expect(consent.form).toMatchObject({ consent: true, recordedAt: now });

    // The personal data left the workflow state once persisted.
    const history = await h.env.client.workflow.getHandle(c.workflowId).query(getCaseQuery);
    expect(JSON.stringify(history)).not.toContain('Via Segreta');

    await h.sleepUntil(v.handover!.openingAt);
    await h.env.sleep('1 minute');
    // A social worker of another Comune cannot take the task.
    await expectRejected(c.claim('handover_ack', SW_LAINATE), 'WRONG_ROLE');
    await c.run('handover_ack', SW_RHO, forms.handoverAck);
    expect((await c.result()).closure?.outcome).toBe('taken_on_by_comune');
  });

  it('woman who refuses: 1522 and CAV contacts given, refusal recorded, no CAV tasks', async () => {
    const c = await openAndAssess(h, { categories: ['women_violence'] }, { violenceSuspected: true, withoutShelter: false, freezingConditions: false });
    const now = await h.nowIso();
    await c.complete('av_consent', OPERATOR, {
      consent: false,
      recordedAt: now,
      childrenPresent: false,
      info1522Given: true,
      cavContactsGiven: true,
      refusalReason: 'Preferisce rientrare dalla sorella',
    });
    await c.complete('intervention', OPERATOR, { outcome: 'assisted_on_site' });
    const v = await until(c, (x) => x.status === 'awaiting_handover', 'handover');
    expect(v.decisions.find((d) => d.kind === 'av_consent_refused')?.data).toEqual({ info1522Given: true, cavContactsGiven: true });
    expect(v.tasks.some((t) => t.type === 'av_cav_contact' || t.type === 'av_protected_placement')).toBe(false);
  });

  it('unaccompanied 15-year-old: first reception, timestamped notices, 10 and 30 day clocks', async () => {
    const c = await openAndAssess(
      h,
      { categories: ['msna'], people: [{ role: 'subject', birthYear: 2011, isMinor: true, nationality: 'Egitto' }] },
      { unaccompaniedMinor: true, withoutShelter: true },
    );
    const now = await h.nowIso();
    await c.complete('msna_placement', OPERATOR, { facilityName: 'Prima accoglienza Rho', placedAt: now, declaredAge: 15 });
    await expectRejected(
      c.complete('msna_notices', OPERATOR, { notices: [{ recipient: 'procura_minorenni', sentAt: now, channel: 'pec' }] }),
      'INVALID_FORM',
    );
    await c.complete('msna_notices', OPERATOR, {
      notices: [
        { recipient: 'procura_minorenni', sentAt: now, channel: 'pec', protocolNumber: 'P-1' },
        { recipient: 'tribunale_minorenni', sentAt: now, channel: 'pec' },
        { recipient: 'ministero_lavoro', sentAt: now, channel: 'email' },
      ],
    });
    await c.complete('intervention', OPERATOR, forms.interventionPlaced(now));
    const v = await until(c, (x) => x.status === 'awaiting_handover' && x.handover !== undefined, 'handover');
    const due = (kind: string) => Date.parse(v.reminders.find((r) => r.kind === kind)!.dueAt) - Date.parse(now);
    expect(due('msna_identification')).toBe(10 * 86_400_000);
    expect(due('msna_first_reception_max')).toBe(30 * 86_400_000);
    const reminders = await h.db.prisma.reminder.findMany({ where: { caseId: c.caseId } });
    expect(reminders.map((r) => r.handedTo)).toEqual(['territorial_service', 'territorial_service']);
    const notices = await h.db.prisma.taskSubmission.findFirstOrThrow({ where: { caseId: c.caseId, type: 'msna_notices' } });
    expect((notices.form as { notices: Array<{ sentAt: string }> }).notices.map((n) => n.sentAt)).toEqual([now, now, now]);
    // The summary is prepared by an activity once the handover target is known.
    let summary = await h.db.prisma.handoverSummary.findUnique({ where: { caseId: c.caseId } });
    for (let i = 0; !summary && i < 200; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      summary = await h.db.prisma.handoverSummary.findUnique({ where: { caseId: c.caseId } });
    }
    if (!summary) throw new Error('no handover summary');
    expect(JSON.stringify(summary.summary)).toContain('msna_first_reception_max');
  });

  it('art. 403 placement: coordinator reminded at 18 h, escalated at 24 h', async () => {
    const c = await openAndAssess(h, { categories: ['minors_at_risk'] }, { art403Placement: true, childrenPresent: true, childrenCount: 1 });
    const report = await c.task('art403_report');
    expect(Date.parse(report.dueAt!) - Date.parse(report.createdAt)).toBe(24 * 3_600_000);
    await h.env.sleep('17 hours');
    expect((await c.view()).tasks.find((t) => t.id === report.id)?.remindedAt).toBeUndefined();
    await h.env.sleep('61 minutes');
    let v = await until(c, (x) => x.tasks.find((t) => t.id === report.id)?.remindedAt !== undefined, 'reminder');
    expect(h.notifier.sent.some((n) => n.kind === 'task_reminder' && n.recipientRole === 'coordinator')).toBe(true);
    expect(v.tasks.some((t) => t.type === 'escalation' && t.subjectTaskId === report.id)).toBe(false);
    await h.env.sleep('6 hours');
    v = await until(c, (x) => x.tasks.some((t) => t.type === 'escalation' && t.subjectTaskId === report.id), 'escalation');
    expect(v.overdueSince).toBeDefined();
  });

  it('a coordinator cancels a case with a reason; other roles cannot', async () => {
    const c = await openAndAssess(h, {}, {});
    const handle = h.env.client.workflow.getHandle(c.workflowId);
    await expectRejected(handle.executeUpdate(cancelCaseUpdate, { args: [{ actor: OPERATOR, reason: 'errore' }] }), 'WRONG_ROLE');
    await expectRejected(handle.executeUpdate(cancelCaseUpdate, { args: [{ actor: COORDINATOR, reason: '' }] }), 'INVALID_REQUEST');
    const v = await handle.executeUpdate(cancelCaseUpdate, { args: [{ actor: COORDINATOR, reason: 'Segnalazione duplicata' }] });
    expect(v.closure).toMatchObject({ outcome: 'cancelled', reason: 'Segnalazione duplicata', byId: COORDINATOR.userId });
    expect(v.tasks.every((t) => t.status === 'completed' || t.status === 'cancelled')).toBe(true);
    expect((await c.result()).status).toBe('closed');
  });
});
