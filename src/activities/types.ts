import type { ReportingForce } from '../workflows/definitions';
import type {
  Decision,
  HandoverTarget,
  HumanTask,
  PendingNotification,
  PendingSubmission,
  Reminder,
  ScopeAssessment,
} from '../workflows/model';

/**
 * The activities the case workflow may call. Workflow code imports only this type; the
 * implementations (Prisma, notifier) live in `createActivities`.
 */

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

export interface PersistCaseInput {
  snapshot: CaseSnapshot;
  decisions: Decision[];
  submissions: PendingSubmission[];
  notifications: PendingNotification[];
}

export interface AssessScopeInput {
  caseId: string;
  ambitoId: string;
  eventComuneCode: string;
  residenceComuneCode?: string;
  reportingForce: ReportingForce;
  reportedAt: string;
}

export interface ComputeHandoverInput {
  caseId: string;
  ambitoId: string;
  eventComuneCode: string;
  residenceComuneCode?: string;
  notBefore: string;
}

export interface PrepareHandoverInput {
  caseId: string;
  target: HandoverTarget;
}

/**
 * Failure types of `persistCase`: PERSISTENCE_FAILED (non-retryable) when the database refuses the
 * data itself, PERSISTENCE_TRANSIENT (retried with backoff) for anything else.
 */
export const PERSISTENCE_FAILED = 'PERSISTENCE_FAILED';
export const PERSISTENCE_TRANSIENT = 'PERSISTENCE_TRANSIENT';

/** What a supervisor may see of a failed write: the error's class and codes, no message. */
export interface PersistenceFailureInfo {
  errorClass: string;
  code: string;
}

export interface ReportPersistenceFailureInput extends PersistenceFailureInfo {
  caseId: string;
  /** When the write first failed (workflow time). */
  since: string;
}

export interface CaseActivities {
  assessScope(input: AssessScopeInput): Promise<ScopeAssessment>;
  persistCase(input: PersistCaseInput): Promise<void>;
  /** Marks the case row as stuck on a failed write (a small update that carries no case data). */
  reportPersistenceFailure(input: ReportPersistenceFailureInput): Promise<void>;
  computeHandover(input: ComputeHandoverInput): Promise<HandoverTarget>;
  prepareHandoverSummary(input: PrepareHandoverInput): Promise<void>;
}
