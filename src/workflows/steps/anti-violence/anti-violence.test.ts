import { forms } from '../../../../scripts/lib/case-driver';
import { until } from '../../../../test/helpers/case-handle';
import { OPERATOR, throughRiskCheck, useProtocolHarness } from '../../../../test/helpers/protocol-harness';

/** Step 5, anti-violence: consent, then CAV and protected placement; a refusal recorded; Codice Rosso. */
describe('anti-violence branch', () => {
  const h = useProtocolHarness();

  const violence = { violenceSuspected: true };

  it('with consent, asks for the CAV contact and the protected placement, then goes on', async () => {
    const c = await h.open({ categories: ['women_violence'] });
    await throughRiskCheck(c, violence);
    await c.complete('av_consent', OPERATOR, forms.avConsent(true));
    await c.complete('av_cav_contact', OPERATOR, forms.cavContact());
    await c.complete('av_protected_placement', OPERATOR, forms.protectedPlacement());
    await c.complete('intervention', OPERATOR, forms.interventionOnSite());
    const v = await until(c, (x) => x.status === 'awaiting_handover', 'handover');
    expect(v.stepHistory.find((s) => s.step === 'anti_violence')?.endedAt).toBeDefined();
  });

  it('without consent, records the refusal (1522 and CAV contacts given) and opens no CAV task', async () => {
    const c = await h.open({ categories: ['women_violence'] });
    await throughRiskCheck(c, violence);
    await c.complete('av_consent', OPERATOR, forms.avConsent(false));
    const v = await until(c, (x) => x.decisions.some((d) => d.kind === 'av_consent_refused'), 'refusal recorded');
    expect(v.decisions.find((d) => d.kind === 'av_consent_refused')?.data).toEqual({ info1522Given: true, cavContactsGiven: true });
    expect(v.tasks.some((t) => t.type === 'av_cav_contact' || t.type === 'av_protected_placement')).toBe(false);
  });

  it('starts the Codice Rosso clock (codiceRossoHearingDays) from the complaint and flags children', async () => {
    const c = await h.open({ categories: ['women_violence'] });
    await throughRiskCheck(c, violence);
    const form = forms.avConsent(false, 2, true);
    await c.complete('av_consent', OPERATOR, form);
    const v = await until(c, (x) => x.reminders.length > 0, 'reminder');
    expect(v.reminders[0]).toMatchObject({ kind: 'codice_rosso_hearing', handedTo: 'coordinator' });
    expect(Date.parse(v.reminders[0]!.dueAt) - Date.parse(form.complaintFiledAt!)).toBe(3 * 86_400_000);
    expect(v.risk?.minors).toBe(true);
    expect(v.decisions.map((d) => d.kind)).toContain('minors_flagged');
  });

  it('is not opened when no violence is reported', async () => {
    const c = await h.open();
    const v = await throughRiskCheck(c, { withoutShelter: true });
    expect(v.tasks.some((t) => t.type === 'av_consent')).toBe(false);
  });
});
