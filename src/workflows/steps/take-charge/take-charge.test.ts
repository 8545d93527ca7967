import { forms } from '../../../../scripts/lib/case-driver';
import { until } from '../../../../test/helpers/case-handle';
import { OPERATOR, useProtocolHarness } from '../../../../test/helpers/protocol-harness';

/** Step 2, take charge: claimed within the SLA, else escalated; whoever completes it owns the case. */
describe('take charge', () => {
  const h = useProtocolHarness();

  it('escalates a take charge nobody claimed within takeChargeSlaMinutes to the coordinator', async () => {
    const c = await h.open({}, { takeChargeSlaMinutes: 15 });
    const task = await c.task('take_charge');
    await h.skipMinutes(16);
    const v = await until(c, (x) => x.tasks.some((t) => t.type === 'escalation'), 'escalation');
    expect(v.tasks.find((t) => t.type === 'escalation')).toMatchObject({ candidateRole: 'coordinator', subjectTaskId: task.id, reason: 'unclaimed' });
    expect(v.decisions.map((d) => d.kind)).toContain('task_escalated');
  });

  it('does not escalate a take charge claimed in time', async () => {
    const c = await h.open({}, { takeChargeSlaMinutes: 15 });
    await c.claim('take_charge', OPERATOR);
    await h.skipMinutes(16);
    const v = await c.view();
    expect(v.tasks.some((t) => t.type === 'escalation')).toBe(false);
  });

  it('makes the operator who completes it the owner: the risk check is theirs', async () => {
    const c = await h.open();
    await c.run('take_charge', OPERATOR, forms.takeCharge);
    const risk = await c.task('risk_check');
    expect(risk).toMatchObject({ assigneeId: OPERATOR.userId, status: 'claimed' });
    expect((await c.view()).ownerId).toBe(OPERATOR.userId);
  });
});
