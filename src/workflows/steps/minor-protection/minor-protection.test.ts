import { forms } from '../../../../scripts/lib/case-driver';
import { until } from '../../../../test/helpers/case-handle';
import { OPERATOR, throughRiskCheck, useProtocolHarness } from '../../../../test/helpers/protocol-harness';

/** Step 6, minor protection: MSNA placement and notices with their clocks; the art. 403 report. */
describe('minor protection branch', () => {
  const h = useProtocolHarness();

  it('for an MSNA, asks for placement and notices and hands the identification and reception clocks over', async () => {
    const c = await h.open({ categories: ['msna'], minorsInvolved: true });
    await throughRiskCheck(c, { unaccompaniedMinor: true });
    const placement = forms.msnaPlacement();
    await c.complete('msna_placement', OPERATOR, placement);
    const v = await until(c, (x) => x.reminders.length === 2, 'msna reminders');
    const due = (kind: string) => Date.parse(v.reminders.find((r) => r.kind === kind)!.dueAt) - Date.parse(placement.placedAt);
    expect(due('msna_identification')).toBe(10 * 86_400_000);
    expect(due('msna_first_reception_max')).toBe(30 * 86_400_000);
    expect(v.reminders.every((r) => r.handedTo === 'territorial_service')).toBe(true);
    expect((await c.task('msna_notices')).assigneeId).toBe(OPERATOR.userId);
    await c.complete('msna_notices', OPERATOR, forms.msnaNotices());
    await c.complete('intervention', OPERATOR, forms.interventionPlaced());
    await until(c, (x) => x.status === 'awaiting_handover', 'handover');
  });

  it('reminds the coordinator of an art. 403 report still open after art403ReminderMinutes', async () => {
    const c = await h.open({ categories: ['minors_at_risk'], minorsInvolved: true }, { art403ReminderMinutes: 60, art403ReportDueMinutes: 120 });
    await throughRiskCheck(c, { art403Placement: true });
    const report = await c.task('art403_report');
    await h.skipMinutes(61);
    const v = await until(c, (x) => x.decisions.some((d) => d.kind === 'task_reminder'), 'reminder');
    expect(v.decisions.find((d) => d.kind === 'task_reminder')?.data).toMatchObject({ taskId: report.id, to: 'coordinator' });
    expect(v.tasks.some((t) => t.type === 'escalation')).toBe(false);
  });
});
