import type { Actor, OutcomeCode } from '../../definitions';
import type { CaseState, Decision } from '../../model';
import { recordDecision, isTaskActive, leaveStep, nowIso, markChanged } from '../../state';

export function cancelActiveTasks(s: CaseState, actorId: string): void {
  const at = nowIso();
  for (const t of s.tasks) {
    if (!isTaskActive(t)) continue;
    t.status = 'cancelled';
    t.history.push({ at, actorId, action: 'cancelled' });
  }
  markChanged(s);
}

/** Closes the case once: open tasks cancelled, steps left, closure recorded. */
export function closeCase(s: CaseState, outcome: OutcomeCode, reason: string, by: Actor | 'system', audit?: Decision['audit']): void {
  if (s.closure) return;
  const at = nowIso();
  cancelActiveTasks(s, by === 'system' ? 'system' : by.userId);
  for (const step of [...s.activeSteps]) leaveStep(s, step);
  s.closure = { outcome, reason, at, byId: by === 'system' ? 'system' : by.userId };
  s.status = 'closed';
  s.step = 'closure';
  s.stepHistory.push({ step: 'closure', startedAt: at, endedAt: at });
  s.overdueSince = undefined;
  recordDecision(s, by, 'case_closed', { outcome, reason }, audit);
}
