import {
  isGrpcDeadlineError,
  isGrpcServiceError,
  ServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { CaseErrorType, ERROR_HTTP_STATUS } from '../domain';
import type { FormIssue } from '../workflows/steps/registry';
import { ProblemError } from './problem';

/**
 * Maps what Temporal answers to a case request onto problem details: an update rejected by the
 * workflow carries an ApplicationFailure whose `type` is in the shared error vocabulary; a case
 * whose workflow has ended is a conflict; Temporal being slow or away is a 503. Messages of the
 * workflow's own failures are Italian texts written for operators and carry no personal data;
 * anything else is answered generically.
 */

const KNOWN_TYPES = new Set<string>(Object.values(CaseErrorType));

const TITLES: Record<CaseErrorType, string> = {
  TASK_NOT_FOUND: 'Task Not Found',
  TASK_NOT_OPEN: 'Task Not Open',
  ALREADY_CLAIMED: 'Already Claimed',
  NOT_ASSIGNEE: 'Not The Assignee',
  WRONG_ROLE: 'Wrong Role',
  INVALID_FORM: 'Invalid Form',
  INVALID_REQUEST: 'Invalid Request',
  CASE_CLOSED: 'Case Closed',
  CASE_BLOCKED: 'Case Blocked',
  PERSISTENCE_FAILED: 'Persistence Failed',
  NOTHING_TO_RETRY: 'Nothing To Retry',
};

function isFormIssues(value: unknown): value is FormIssue[] {
  return Array.isArray(value) && value.every((i) => typeof i === 'object' && i !== null && typeof (i as FormIssue).path === 'string' && typeof (i as FormIssue).message === 'string');
}

export function caseErrorProblem(type: CaseErrorType, detail: string, issues?: FormIssue[]): ProblemError {
  return new ProblemError(ERROR_HTTP_STATUS[type], {
    title: TITLES[type],
    detail,
    ...(issues !== undefined && { errors: issues }),
    extensions: { code: type },
  });
}

/** The problem for a Temporal error, or undefined when it is not one we recognise. */
export function temporalProblem(err: unknown): ProblemError | undefined {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type && KNOWN_TYPES.has(cause.type)) {
      const type = cause.type as CaseErrorType;
      const details = cause.details?.[0];
      return caseErrorProblem(type, cause.message, (type === CaseErrorType.InvalidForm || type === CaseErrorType.InvalidRequest) && isFormIssues(details) ? details : undefined);
    }
    return undefined;
  }
  if (err instanceof WorkflowNotFoundError || (err instanceof ServiceError && /already completed|not found/i.test(err.message))) {
    return caseErrorProblem(CaseErrorType.CaseClosed, 'Il caso è chiuso: il suo workflow non è più in esecuzione');
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err)) {
    return new ProblemError(503, {
      title: 'Workflow Not Responding',
      detail: 'Il caso non ha risposto in tempo: riprovare tra poco (vedi supervisione)',
    });
  }
  if (isGrpcServiceError(err) || (err instanceof ServiceError && isGrpcServiceError(err.cause))) {
    return new ProblemError(503, { title: 'Temporal Unavailable', detail: 'Il motore dei workflow non è raggiungibile' });
  }
  return undefined;
}
