import type { CaseState } from '../../model';
import { addMinutes, recordDecision, enterStep, leaveStep, nowIso, markChanged } from '../../state';
import { finished, ownerTask, waitUntil } from '../walk';

/** The intervention, then welfare re-checks while one is needed, at most `maxWelfareRechecks`. */
export async function intervention(s: CaseState): Promise<void> {
  enterStep(s, 'intervention');
  const p = s.input.protocol;
  const task = ownerTask(s, 'intervention', 'intervention', p.interventionDueMinutes);
  await finished(task);
  let recheckNeeded = task.outcome?.welfareRecheckNeeded === true;
  let previous = task;
  while (recheckNeeded && s.welfareRechecks < p.maxWelfareRechecks) {
    // Welfare re-check after a refusal: the timer runs from the moment the refusal was recorded.
    const n = s.welfareRechecks + 1;
    const recheckAt = addMinutes(previous.completedAt ?? nowIso(), p.welfareRecheckMinutes);
    if (!s.tasks.some((t) => t.key === `welfare_recheck#${n}`)) {
      if (!s.done[`welfare_recheck_scheduled#${n}`]) {
        s.done[`welfare_recheck_scheduled#${n}`] = true;
        recordDecision(s, 'system', 'welfare_recheck_scheduled', { at: recheckAt, n });
      }
      await waitUntil(() => false, recheckAt);
    }
    const recheck = ownerTask(s, `welfare_recheck#${n}`, 'welfare_recheck', p.welfareRecheckDueMinutes);
    await finished(recheck);
    s.welfareRechecks = n;
    markChanged(s);
    recheckNeeded = recheck.outcome?.anotherRecheckNeeded === true;
    previous = recheck;
  }
  leaveStep(s, 'intervention');
}
