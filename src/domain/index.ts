/**
 * The domain vocabulary every room shares: who acts (roles, Actor) and the error codes the
 * workflow answers with (the API maps them to HTTP statuses). Pure data, no imports: auth, seed,
 * API, console and workflow code all import it.
 */

export const ROLES = ['intake_operator', 'emergency_operator', 'coordinator', 'social_worker', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who acts on a case, as the case workflow knows it (what update arguments and timelines carry). */
export interface CaseActor {
  userId: string;
  role: Role;
  /** Only for social workers: the Comune (ISTAT code) they work for. */
  comuneCode?: string;
}

/**
 * An authenticated user of the API: a CaseActor plus the Ambiti whose cases they see (read with
 * the user at every token check, never carried in the token). Social workers: the Ambito of their
 * Comune; admin: whatever is assigned (admin sees every case anyway). See `caseScope`.
 */
export interface Actor extends CaseActor {
  ambitoIds: string[];
}

// ------------------------------------------------------------------------------------ cases

export const TARGET_CATEGORIES = [
  'adults_families_marginality',
  'frail_without_caregiver',
  'homeless',
  'msna',
  'minors_at_risk',
  'women_violence',
] as const;
export type TargetCategory = (typeof TARGET_CATEGORIES)[number];

export const REPORTING_FORCES = [
  'carabinieri',
  'polizia_di_stato',
  'polizia_locale',
  'guardia_di_finanza',
  'polizia_penitenziaria',
  'other',
] as const;
export type ReportingForce = (typeof REPORTING_FORCES)[number];
/** Reporters the service acts on; anything else is out of scope unless overridden. */
export const LAW_ENFORCEMENT_FORCES: readonly ReportingForce[] = REPORTING_FORCES.filter((f) => f !== 'other');

export const CASE_STATUSES = ['intake', 'scope_review', 'open', 'awaiting_handover', 'handover', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const OUTCOME_CODES = [
  'taken_on_by_comune',
  'handed_over_external',
  'resolved',
  'redirected',
  'cancelled',
] as const;
export type OutcomeCode = (typeof OUTCOME_CODES)[number];

export const STUCK_KINDS = [
  'task_overdue',
  'no_progress',
  'activity_failing',
  'workflow_task_failing',
  'workflow_failed',
  'no_worker',
  'workflow_not_started',
  'persistence_failed',
] as const;
/** Why supervision lists a case as stuck. */
export type StuckKind = (typeof STUCK_KINDS)[number];

// ------------------------------------------------------------------------------------ errors

/** One error vocabulary for workflow and API (ApplicationFailure.type ⇒ HTTP status). */
export const CaseErrorType = {
  TaskNotFound: 'TASK_NOT_FOUND',
  TaskNotOpen: 'TASK_NOT_OPEN',
  AlreadyClaimed: 'ALREADY_CLAIMED',
  NotAssignee: 'NOT_ASSIGNEE',
  WrongRole: 'WRONG_ROLE',
  InvalidForm: 'INVALID_FORM',
  InvalidRequest: 'INVALID_REQUEST',
  CaseClosed: 'CASE_CLOSED',
  /** A write of the case failed permanently: nothing more is accepted until a coordinator retries it. */
  CaseBlocked: 'CASE_BLOCKED',
  /** A coordinator's retry of a failed write failed again (the cause is not fixed yet). */
  PersistenceFailed: 'PERSISTENCE_FAILED',
  NothingToRetry: 'NOTHING_TO_RETRY',
} as const;
export type CaseErrorType = (typeof CaseErrorType)[keyof typeof CaseErrorType];

export const ERROR_HTTP_STATUS: Record<CaseErrorType, number> = {
  TASK_NOT_FOUND: 404,
  TASK_NOT_OPEN: 409,
  ALREADY_CLAIMED: 409,
  NOT_ASSIGNEE: 409,
  WRONG_ROLE: 403,
  INVALID_FORM: 422,
  INVALID_REQUEST: 400,
  CASE_CLOSED: 409,
  CASE_BLOCKED: 409,
  PERSISTENCE_FAILED: 503,
  NOTHING_TO_RETRY: 409,
};
