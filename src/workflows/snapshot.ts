import type { CaseState, HumanTask, Reminder } from './model';
import { riskFlags } from './steps/risk-check';
import { openTaskRoles } from './state';
import { MILESTONE_SOURCE_TASK_TYPES } from '../contract/milestones';

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
  /** Whole list (full write) or, when `partial`, only those changed since the last write. */
  tasks: HumanTask[];
  reminders: Reminder[];
  /** Lean write (patch `lean-history`): `tasks` and `reminders` hold only what changed. */
  partial?: boolean;
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

/**
 * What one run of the workflow last stored of each task and reminder (as JSON), so a write sends
 * only the parts that changed since (patch `lean-history`). Workflow memory, not state: replay
 * rebuilds it from the same writes, and a new run starts empty (its first write is whole).
 */
export class StoredParts {
  private readonly stored: Record<string, string> = {};
  private sending: Record<string, string> = {};

  changedOnly(snapshot: CaseSnapshot): CaseSnapshot {
    this.sending = {};
    const keep = <T extends { id: string }>(kind: string, part: T, always = false): boolean => {
      const key = `${kind}:${part.id}`;
      const json = JSON.stringify(part);
      if (!always && this.stored[key] === json) return false;
      this.sending[key] = json;
      return true;
    };
    return {
      ...snapshot,
      tasks: snapshot.tasks.filter((t) => keep('task', t, MILESTONE_SOURCE_TASK_TYPES.includes(t.type))),
      reminders: snapshot.reminders.filter((r) => keep('reminder', r)),
      partial: true,
    };
  }

  /** The last write succeeded: what it sent is now stored. */
  commit(): void {
    Object.assign(this.stored, this.sending);
    this.sending = {};
  }
}
