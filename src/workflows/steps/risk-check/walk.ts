import type { CaseState, RiskAssessment } from '../../model';
import { asksAssistedViolence } from '../../revisions';
import { recordDecision, enterStep, leaveStep } from '../../state';
import { finished, ownerTask } from '../walk';

/** The owner's risk check; its outcome (see ./index.ts `assessRisk`) becomes the case's risk. */
export async function riskCheck(s: CaseState): Promise<RiskAssessment> {
  enterStep(s, 'risk_check');
  const due = s.input.protocol.riskCheckDueMinutes;
  const task = ownerTask(s, 'risk_check', 'risk_check', due);
  await finished(task);
  if (!s.risk) {
    const o = task.outcome ?? {};
    s.risk = {
      level: (o.level as RiskAssessment['level'] | undefined) ?? 'medium',
      violence: o.violence === true,
      minors: o.minors === true,
      health: o.health === true,
      unaccompaniedMinor: o.unaccompaniedMinor === true,
      art403: o.art403 === true,
      emergencyServicesActivated: o.emergencyServicesActivated === true,
    };
    if (asksAssistedViolence(s.protocolRevision)) s.risk.assistedViolence = o.assistedViolence === true;
    recordDecision(s, 'system', 'risk_assessed', { ...s.risk });
    if (s.risk.health) recordDecision(s, 'system', 'health_emergency', { emergencyServicesActivated: s.risk.emergencyServicesActivated });
  }
  leaveStep(s, 'risk_check');
  return s.risk;
}
