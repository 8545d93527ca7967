import type { CaseState, HumanTask, Reminder } from './model';
import { riskFlags } from './steps/risk-check';
import { openTaskRoles } from './state';

/** The non-identifying projection of a case written to the read model. */
export interface CaseSnapshot {
  caseId: string;
  revision: number;
  status: string;
  step: string;
  riskLevel?: string;
  flags: string[];
  competentComuneCode?: string;
  externalHandover: boolean;
  handoverAt?: string;
  overdueSince?: string;
  lastProgressAt: string;
  openTaskRoles: string[];
  outcomeCode?: string;
  outcomeReason?: string;
  closedAt?: string;
  tasks: HumanTask[];
  reminders: Reminder[];
}

export function toSnapshot(s: CaseState): CaseSnapshot {
  return {
    caseId: s.input.caseId,
    revision: s.revision,
    status: s.status,
    step: s.step,
    riskLevel: s.risk?.level,
    flags: riskFlags(s),
    competentComuneCode: s.handover?.comuneCode,
    externalHandover: s.handover?.external ?? false,
    handoverAt: s.handover?.openingAt,
    overdueSince: s.overdueSince,
    lastProgressAt: s.lastProgressAt,
    openTaskRoles: openTaskRoles(s),
    outcomeCode: s.closure?.outcome,
    outcomeReason: s.closure?.reason,
    closedAt: s.closure?.at,
    tasks: s.tasks,
    reminders: s.reminders,
  };
}
