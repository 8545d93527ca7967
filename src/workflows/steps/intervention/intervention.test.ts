import { forms } from '../../../../scripts/lib/case-driver';
import { until } from '../../../../test/helpers/case-handle';
import { OPERATOR, throughRiskCheck, useProtocolHarness } from '../../../../test/helpers/protocol-harness';

/** Step 4, intervention and welfare re-checks after a refusal of help. */
describe('intervention', () => {
  const h = useProtocolHarness();

  it('goes on to the handover after a placement, with no re-check', async () => {
    const c = await h.open();
    await throughRiskCheck(c, { withoutShelter: true });
    await c.complete('intervention', OPERATOR, forms.interventionPlaced());
    const v = await until(c, (x) => x.status === 'awaiting_handover', 'handover');
    expect(v.welfareRechecks).toBe(0);
    expect(v.tasks.some((t) => t.type === 'welfare_recheck')).toBe(false);
  });

  it('re-checks welfareRecheckMinutes after a refusal, and again while one is needed', async () => {
    const c = await h.open({}, { welfareRecheckMinutes: 120 });
    await throughRiskCheck(c, { withoutShelter: true, freezingConditions: true });
    await c.complete('intervention', OPERATOR, forms.interventionRefused());
    const scheduled = await until(c, (x) => x.decisions.some((d) => d.kind === 'welfare_recheck_scheduled'), 'recheck scheduled');
    expect(scheduled.tasks.some((t) => t.type === 'welfare_recheck')).toBe(false);
    await h.skipMinutes(121);
    await c.complete('welfare_recheck', OPERATOR, forms.welfareRecheck(false));
    const v = await until(c, (x) => x.status === 'awaiting_handover', 'handover');
    expect(v.welfareRechecks).toBe(1);
  });

  it('stops re-checking after maxWelfareRechecks even when another is asked for', async () => {
    const c = await h.open({}, { welfareRecheckMinutes: 10, maxWelfareRechecks: 2 });
    await throughRiskCheck(c, { withoutShelter: true });
    await c.complete('intervention', OPERATOR, forms.interventionRefused());
    for (let n = 1; n <= 2; n++) {
      await until(c, (x) => x.decisions.some((d) => d.kind === 'welfare_recheck_scheduled' && d.data.n === n), `recheck ${n} scheduled`);
      await h.skipMinutes(11);
      await c.complete('welfare_recheck', OPERATOR, forms.welfareRecheck(true));
    }
    const v = await until(c, (x) => x.status === 'awaiting_handover', 'handover');
    expect(v.welfareRechecks).toBe(2);
    expect(v.tasks.filter((t) => t.type === 'welfare_recheck')).toHaveLength(2);
    expect(v.decisions.filter((d) => d.kind === 'welfare_recheck_scheduled')).toHaveLength(2);
  });
});
