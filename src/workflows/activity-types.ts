import type { ReportingForce } from './definitions';
import type {
  Decision,
  HandoverTarget,
  PendingNotification,
  PendingSubmission,
  ScopeAssessment,
} from './model';
import type { CaseSnapshot } from './snapshot';

export type { CaseSnapshot };

/**
 * The activities the case workflow may call: the workflow's side of the contract. Workflow code
 * imports only these types; the implementations (Prisma, notifier) in src/activities implement
 * them.
 */

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
