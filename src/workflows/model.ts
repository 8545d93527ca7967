import type { CaseStatus, CaseWorkflowInput, OutcomeCode, RiskLevel, Role, Step } from './definitions';
import type { TaskOutcome, TaskType, TimelineKind } from './steps/registry';

/**
 * Plain-JSON state of a case workflow. It survives continue-as-new as is, so: no Map/Set/Date/
 * class instances, only absolute ISO timestamps (every timer is recomputed from them).
 */

export { DEFAULT_PROTOCOL_SETTINGS, type ProtocolSettings } from './steps/registry';

export type TaskStatus = 'open' | 'claimed' | 'completed' | 'cancelled';

/**
 * When a task is late: `unclaimed` watches the claim, `not_completed` the completion. Times are
 * minutes after the task was created. A reminder notifies `remindRole` (default: the candidate
 * role); the escalation opens an escalation task for the coordinator.
 */
export interface EscalationRule {
  trigger: 'unclaimed' | 'not_completed' | 'none';
  remindAfterMinutes?: number;
  remindRole?: Role;
  escalateAfterMinutes?: number;
}

export interface HumanTask {
  id: string;
  /** Stable key inside the case (e.g. `risk_check`, `welfare_recheck#2`): makes creation idempotent. */
  key: string;
  type: TaskType;
  candidateRole: Role;
  comuneCode?: string;
  assigneeId?: string;
  status: TaskStatus;
  createdAt: string;
  claimedAt?: string;
  dueAt?: string;
  completedAt?: string;
  completedById?: string;
  escalation: EscalationRule;
  remindedAt?: string;
  escalatedAt?: string;
  /** For escalation tasks: the task (or reason) that caused it. */
  subjectTaskId?: string;
  reason?: string;
  /** Non-identifying decision extracted from the form (e.g. `{ consent: true }`). */
  outcome?: TaskOutcome;
  history: Array<{ at: string; actorId: string; action: 'claimed' | 'completed' | 'reassigned' | 'cancelled'; to?: string }>;
}

export interface Decision {
  seq: number;
  at: string;
  actorId: string;
  actorRole: Role | 'system';
  kind: TimelineKind;
  data: Record<string, unknown>;
  /**
   * For a decision taken by a user's request (a workflow update): the API action it answers and
   * the update id, so its audit row is written with the change, in the same transaction.
   */
  audit?: { action: string; requestId: string; outcome?: 'error' };
}

export interface Reminder {
  id: string;
  kind: 'codice_rosso_hearing' | 'msna_identification' | 'msna_first_reception_max' | 'art403_report';
  dueAt: string;
  firedAt?: string;
  handedTo: 'territorial_service' | 'coordinator' | 'external';
}

export interface RiskAssessment {
  level: RiskLevel;
  violence: boolean;
  minors: boolean;
  health: boolean;
  unaccompaniedMinor: boolean;
  art403: boolean;
  emergencyServicesActivated: boolean;
  /** Revision 2 only: minors witnessed violence (violenza assistita). */
  assistedViolence?: boolean;
}

export interface PendingSubmission {
  taskId: string;
  type: TaskType;
  form: unknown;
  submittedById: string;
  submittedAt: string;
}

export interface PendingNotification {
  id: string;
  kind: string;
  recipientRole: Role;
  comuneCode?: string;
  taskId?: string;
}

export interface CaseState {
  input: CaseWorkflowInput;
  /**
   * The protocol revision the case runs (./protocol-revision.ts), fixed at its start. Absent for
   * cases started before revisions were recorded: they run revision 1.
   */
  protocolRevision?: number;
  /** Change counter (not the protocol revision): +1 on every change, see state.ts `markChanged`. Named in recorded histories: keep the name. */
  revision: number;
  status: CaseStatus;
  step: Step;
  activeSteps: Step[];
  stepHistory: Array<{ step: Step; startedAt: string; endedAt?: string }>;
  scope?: { inScope: boolean; reasons: string[]; overriddenBy?: string; overrideReason?: string };
  ownerId?: string;
  risk?: RiskAssessment;
  tasks: HumanTask[];
  taskSeq: number;
  handover?: {
    comuneCode: string;
    external: boolean;
    openingAt: string;
    movedById?: string;
    moveReason?: string;
  };
  reminders: Reminder[];
  decisions: Decision[];
  pendingSubmissions: PendingSubmission[];
  pendingNotifications: PendingNotification[];
  /** Revisions and decision sequence already written to the read model. */
  persisted: { revision: number; decisionSeq: number };
  done: Record<string, true>;
  welfareRechecks: number;
  lastProgressAt: string;
  overdueSince?: string;
  cancelRequest?: { actorId: string; actorRole: Role; reason: string; requestId?: string };
  /**
   * Patch `answer-when-stored`: updates answer once their change is in PostgreSQL (or fail saying
   * it could not be stored), never after a fixed wait. Fixed at the start of a run.
   */
  answersWhenStored?: boolean;
  /**
   * Patch `lean-history`: each write sends only the tasks and reminders that changed since the
   * last stored one, and updates answer without the timeline (the read model has it), so a case's
   * history grows with its events, not with the square of its tasks. Fixed at the start of a run.
   */
  leanHistory?: boolean;
  /**
   * Set while a write of the case failed permanently (the database refuses the data): the case is
   * stuck, updates are refused, and a coordinator retries the write once the cause is fixed.
   */
  persistenceFailure?: { since: string; revision: number; errorClass: string; code: string };
  closure?: { outcome: OutcomeCode; reason: string; at: string; byId: string };
}

/** What the query returns and updates answer with. */
export type CaseView = Omit<CaseState, 'pendingSubmissions' | 'pendingNotifications' | 'persisted' | 'done' | 'answersWhenStored' | 'leanHistory'>;

export interface ScopeAssessment {
  inScope: boolean;
  reasons: Array<'offices_open' | 'not_law_enforcement'>;
}

export interface HandoverTarget {
  comuneCode: string;
  external: boolean;
  openingAt: string;
}

