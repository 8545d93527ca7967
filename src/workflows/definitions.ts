import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseActor as Actor, ReportingForce, TargetCategory } from '../domain';
import type { CaseView, ProtocolSettings } from './model';
import type { FormData, TaskType } from './steps/registry';

/**
 * The contract between the API and the case workflow: message names, task queue, workflow-ID
 * builder and the error vocabulary. The API imports this module (and the types it re-exports),
 * never workflow implementation code.
 */

export const CASE_WORKFLOW_TYPE = 'pisCaseWorkflow';
export const DEFAULT_TASK_QUEUE = 'pis-cases';

export function caseWorkflowId(caseId: string): string {
  return `pis-case-${caseId}`;
}

/** In the workflow, `Actor` is the domain's CaseActor: user, role and Comune (no Ambiti: the API scopes cases). */
export { type CaseActor as Actor, CaseErrorType, ERROR_HTTP_STATUS, ROLES, type Role } from '../domain';

export {
  LAW_ENFORCEMENT_FORCES,
  REPORTING_FORCES,
  type ReportingForce,
  TARGET_CATEGORIES,
  type TargetCategory,
  CASE_STATUSES,
  type CaseStatus,
  RISK_LEVELS,
  type RiskLevel,
  OUTCOME_CODES,
  type OutcomeCode,
} from '../domain';

/** Minimal, non-identifying input of a case: personal data stays in PostgreSQL. */
export interface CaseWorkflowInput {
  caseId: string;
  reference: string;
  ambitoId: string;
  eventComuneCode: string;
  residenceComuneCode?: string;
  reportingForce: ReportingForce;
  categories: TargetCategory[];
  minorsInvolved: boolean;
  reportedAt: string;
  createdBy: Actor;
  protocol: ProtocolSettings;
}

export { STEPS, type Step } from './steps/registry';

// ------------------------------------------------------------------------------------ messages

export interface ClaimTaskRequest {
  taskId: string;
  actor: Actor;
}
export interface CompleteTaskRequest {
  taskId: string;
  actor: Actor;
  form: FormData;
  /** The time the operator submitted the form (API clock); defaults to the workflow time. */
  submittedAt?: string;
}
export interface ReassignTaskRequest {
  taskId: string;
  actor: Actor;
  assigneeId: string;
  reason: string;
}
export interface OverrideScopeRequest {
  actor: Actor;
  reason: string;
}
export interface CancelCaseRequest {
  actor: Actor;
  reason: string;
}
export interface MoveHandoverRequest {
  actor: Actor;
  at: string;
  reason: string;
}
export interface EscalateCaseRequest {
  actor: Actor;
  reason: string;
}
export interface RetryPersistenceRequest {
  actor: Actor;
}
/**
 * The office calendar of the case's competent Comune changed (outbox `HandoverRecompute`): the
 * handover moves to `openingAt`, the next opening computed from the new calendar outside the
 * workflow, so the workflow stays deterministic. `changeId` makes a re-sent signal harmless.
 */
export interface HandoverRecomputeSignal {
  changeId: string;
  comuneCode: string;
  openingAt: string;
  /** Italian, shown on the timeline: "Calendario dell'ufficio modificato: ...". */
  reason: string;
}
export interface NoteAddedSignal {
  noteId: string;
  actor: Actor;
  at: string;
}

export const claimTaskUpdate = defineUpdate<CaseView, [ClaimTaskRequest]>('claimTask');
export const completeTaskUpdate = defineUpdate<CaseView, [CompleteTaskRequest]>('completeTask');
export const reassignTaskUpdate = defineUpdate<CaseView, [ReassignTaskRequest]>('reassignTask');
export const overrideScopeUpdate = defineUpdate<CaseView, [OverrideScopeRequest]>('overrideScope');
export const cancelCaseUpdate = defineUpdate<CaseView, [CancelCaseRequest]>('cancelCase');
export const moveHandoverUpdate = defineUpdate<CaseView, [MoveHandoverRequest]>('moveHandover');
export const escalateCaseUpdate = defineUpdate<CaseView, [EscalateCaseRequest]>('escalateCase');
export const retryPersistenceUpdate = defineUpdate<CaseView, [RetryPersistenceRequest]>('retryPersistence');
export const noteAddedSignal = defineSignal<[NoteAddedSignal]>('noteAdded');
export const handoverRecomputeSignal = defineSignal<[HandoverRecomputeSignal]>('handoverRecompute');
export const getCaseQuery = defineQuery<CaseView>('getCase');

export type { CaseView, ProtocolSettings, TaskType, FormData };
