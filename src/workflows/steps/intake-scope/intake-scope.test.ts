import { until } from '../../../../test/helpers/case-handle';
import { COORDINATOR, useProtocolHarness } from '../../../../test/helpers/protocol-harness';

/** Step 1, intake and scope: in scope the case opens; out of scope the coordinator reviews it. */
describe('intake and scope', () => {
  const h = useProtocolHarness();
  afterEach(() => {
    h.activities.scope = { inScope: true, reasons: [] };
  });

  it('opens an in-scope case and asks for a take charge', async () => {
    const c = await h.open();
    await c.task('take_charge');
    const v = await c.view();
    expect(v.status).toBe('open');
    expect(v.decisions.map((d) => d.kind).slice(0, 2)).toEqual(['case_opened', 'scope_assessed']);
  });

  it('redirects an out-of-scope case when the coordinator does not decide within scopeReviewMinutes', async () => {
    h.activities.scope = { inScope: false, reasons: ['offices_open'] };
    const c = await h.open({}, { scopeReviewMinutes: 30 });
    expect((await c.task('scope_review')).candidateRole).toBe('coordinator');
    await h.skipMinutes(31);
    const v = await until(c, (x) => x.closure !== undefined, 'closure');
    expect(v.closure).toMatchObject({ outcome: 'redirected', byId: 'system' });
    expect(v.closure?.reason).toContain('offices_open');
    expect(v.tasks.find((t) => t.type === 'scope_review')?.status).toBe('cancelled');
  });

  it("opens an out-of-scope case on the coordinator's override, keeping who and why", async () => {
    h.activities.scope = { inScope: false, reasons: ['not_law_enforcement'] };
    const c = await h.open({ reportingForce: 'other' });
    await c.run('scope_review', COORDINATOR, { decision: 'override', reason: 'Segnalazione del 118, interveniamo' });
    await c.task('take_charge');
    const v = await until(c, (x) => x.status === 'open', 'case open');
    expect(v.scope).toMatchObject({ inScope: false, overriddenBy: COORDINATOR.userId, overrideReason: 'Segnalazione del 118, interveniamo' });
  });

  it('closes the case as redirected when the coordinator confirms the redirect', async () => {
    h.activities.scope = { inScope: false, reasons: ['offices_open'] };
    const c = await h.open();
    await c.run('scope_review', COORDINATOR, { decision: 'confirm_redirect', reason: 'Uffici aperti: competente il Comune' });
    const v = await c.result();
    expect(v.closure).toMatchObject({ outcome: 'redirected', reason: 'Uffici aperti: competente il Comune', byId: COORDINATOR.userId });
  });
});
