import type { CaseState } from '../../model';
import { recordDecision, enterStep, ensureTask, leaveStep, nowIso, markChanged } from '../../state';
import { closeCase } from '../closure/close';
import { acts, waitUntil } from '../walk';

/** The scope check; out of scope, the coordinator's review. False when the case was redirected (closed). */
export async function intakeAndScope(s: CaseState): Promise<boolean> {
  const { input } = s;
  if (!s.scope) {
    const scope = await acts.assessScope({
      caseId: input.caseId,
      ambitoId: input.ambitoId,
      eventComuneCode: input.eventComuneCode,
      residenceComuneCode: input.residenceComuneCode,
      reportingForce: input.reportingForce,
      reportedAt: input.reportedAt,
    });
    s.scope = { inScope: scope.inScope, reasons: scope.reasons };
    recordDecision(s, 'system', 'scope_assessed', { inScope: scope.inScope, reasons: scope.reasons });
  }
  leaveStep(s, 'intake');
  if (!s.scope.inScope) {
    s.status = 'scope_review';
    enterStep(s, 'scope_review');
    const review = ensureTask(s, 'scope_review', 'scope_review', { dueMinutes: input.protocol.scopeReviewMinutes });
    const decided = await waitUntil(() => review.status === 'completed', review.dueAt ?? nowIso());
    const override = decided && review.outcome?.decision === 'override';
    if (!override) {
      const reason = decided
        ? String(review.outcome?.reason ?? '')
        : `Fuori competenza PIS: ${s.scope.reasons.join(', ')}`;
      closeCase(s, 'redirected', reason, decided ? { userId: review.completedById ?? 'system', role: 'coordinator' } : 'system');
      return false;
    }
    s.scope.overriddenBy = review.completedById;
    s.scope.overrideReason = String(review.outcome?.reason ?? '');
    leaveStep(s, 'scope_review');
  }
  s.status = 'open';
  markChanged(s);
  return true;
}
