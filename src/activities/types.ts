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

export interface CaseActivities {
  assessScope(input: AssessScopeInput): Promise<ScopeAssessment>;
  persistCase(input: PersistCaseInput): Promise<void>;
  computeHandover(input: ComputeHandoverInput): Promise<HandoverTarget>;
  prepareHandoverSummary(input: PrepareHandoverInput): Promise<void>;
}
