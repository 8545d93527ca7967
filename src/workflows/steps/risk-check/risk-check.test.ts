import { forms } from '../../../../scripts/lib/case-driver';
import { expectRejected } from '../../../../test/helpers/case-handle';
import { OPERATOR, throughRiskCheck, useProtocolHarness } from '../../../../test/helpers/protocol-harness';

/** Step 3, risk check: the level and flags that decide the branches, and the 112/118 rule. */
describe('risk check', () => {
  const h = useProtocolHarness();

  const assessed = async (questions: Record<string, unknown>, extra: Record<string, unknown> = {}) => throughRiskCheck(await h.open(), questions, extra);

  it('rates an immediate danger to life critical', async () => {
    const v = await assessed({ immediateDangerToLife: true });
    expect(v.risk?.level).toBe('critical');
  });

  it('rates a risk of self-harm critical', async () => {
    const v = await assessed({ selfHarmRisk: true });
    expect(v.risk?.level).toBe('critical');
  });

  it('rates violence with the perpetrator nearby critical and opens the anti-violence branch', async () => {
    const v = await assessed({ violenceSuspected: true, perpetratorNearby: true });
    expect(v.risk).toMatchObject({ level: 'critical', violence: true });
    expect(v.activeSteps).toContain('anti_violence');
  });

  it('refuses a health danger without a 112/118 activation, naming the field', async () => {
    const c = await h.open();
    await c.run('take_charge', OPERATOR, forms.takeCharge);
    const cause = (await expectRejected(c.complete('risk_check', OPERATOR, forms.riskCheck({ healthDanger: true })), 'INVALID_FORM')) as { details?: unknown[] };
    expect(JSON.stringify(cause.details)).toContain('emergencyServices');
    expect((await c.task('risk_check')).status).toBe('claimed');
  });

  it('records a health danger with its 118 activation as a health emergency, rated high', async () => {
    const v = await assessed({ healthDanger: true }, { emergencyServices: [{ service: '118', activatedAt: new Date().toISOString() }] });
    expect(v.risk).toMatchObject({ level: 'high', health: true, emergencyServicesActivated: true });
    expect(v.decisions.map((d) => d.kind)).toContain('health_emergency');
  });

  it("keeps the operator's level when overridden with a reason", async () => {
    const v = await assessed({ withoutShelter: true }, { levelOverride: 'critical', overrideReason: 'Persona molto anziana' });
    expect(v.risk?.level).toBe('critical');
  });

  it('rates nothing at stake low and opens no branch', async () => {
    const v = await assessed({});
    expect(v.risk).toMatchObject({ level: 'low', violence: false, minors: false, health: false });
    expect(v.activeSteps).toEqual(['intervention']);
  });
});
