import type { CaseState } from '../../model';
import { enterStep, ensureTask, leaveStep } from '../../state';
import { finished } from '../walk';

/** An operator claims and completes the take-charge task; they own the case from then on. */
export async function takeCharge(s: CaseState): Promise<void> {
  enterStep(s, 'take_charge');
  const sla = s.input.protocol.takeChargeSlaMinutes;
  const task = ensureTask(s, 'take_charge', 'take_charge', {
    dueMinutes: sla,
    escalation: { trigger: 'unclaimed', escalateAfterMinutes: sla },
  });
  await finished(task);
  s.ownerId = task.completedById;
  leaveStep(s, 'take_charge');
}
