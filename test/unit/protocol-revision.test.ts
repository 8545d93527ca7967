import { extractOutcome, validateTaskForm } from '../../src/workflows/steps/registry';
import { assessRisk } from '../../src/workflows/steps/risk-check';
import { asksAssistedViolence } from '../../src/workflows/revisions';
import { forms } from '../../scripts/lib/case-driver';

/** The rules of protocol revision 2 (violenza assistita) apply to revision-2 cases only. */
describe('protocol revision 2: assisted violence', () => {
  const answered = forms.riskCheck({ assistedViolence: true, withoutShelter: true });
  const unanswered = forms.riskCheck({ withoutShelter: true }) as { questions: Record<string, unknown> };
  delete unanswered.questions.assistedViolence;

  it('requires the question only on revision 2', () => {
    expect(validateTaskForm('risk_check', unanswered).ok).toBe(true);
    expect(validateTaskForm('risk_check', unanswered, { protocolRevision: undefined }).ok).toBe(true);
    expect(validateTaskForm('risk_check', unanswered, { protocolRevision: 2 })).toEqual({
      ok: false,
      issues: [{ path: 'questions.assistedViolence', message: 'campo obbligatorio' }],
    });
    expect(validateTaskForm('risk_check', answered, { protocolRevision: 2 }).ok).toBe(true);
  });

  it('flags minors and raises the level on revision 2, and is ignored by older cases', () => {
    const parsed = validateTaskForm('risk_check', answered);
    if (!parsed.ok) throw new Error('form should be valid');
    expect(assessRisk(parsed.data, false, 2)).toMatchObject({ assistedViolence: true, minors: true, violence: false, level: 'high' });
    const old = assessRisk(parsed.data, false, undefined);
    expect(old).not.toHaveProperty('assistedViolence');
    expect(old).toMatchObject({ minors: false, level: 'medium' });
    expect(extractOutcome('risk_check', parsed.data, false)).not.toHaveProperty('assistedViolence');
    expect(asksAssistedViolence(undefined)).toBe(false);
    expect(asksAssistedViolence(1)).toBe(false);
    expect(asksAssistedViolence(2)).toBe(true);
  });
});
