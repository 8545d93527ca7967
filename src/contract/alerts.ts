/**
 * Alerts: the events of the console's push stream (`GET /api/events`, Server-Sent Events) and the
 * duty answers. Events carry ids and codes only, never personal data.
 */
import type { Role } from '../domain';

export const LIVE_EVENT_NAMES = [
  /** First event of every stream: its id is the baseline for `Last-Event-ID`. */
  'ready',
  'task.available',
  'task.changed',
  'task.closed',
  'case.changed',
  'summary.changed',
  'duty.changed',
  /** More happened than can be replayed: reload everything. */
  'reset',
] as const;
export type LiveEventName = (typeof LIVE_EVENT_NAMES)[number];

export interface TaskEventData {
  caseId: string;
  taskId: string;
  type: string;
  status: string;
  candidateRole: Role;
  comuneCode: string | null;
  assigneeId: string | null;
}

export interface CaseEventData {
  caseId: string;
}

export interface DutyEventData {
  userId: string;
}

export type LiveEventData = TaskEventData | CaseEventData | DutyEventData | Record<string, never>;

/** `GET /api/me/duty`, `PUT /api/me/duty`. */
export interface DutyState {
  onDuty: boolean;
  since: string | null;
}

/** `GET /api/duty`: who is on duty now (coordinator, admin). */
export interface OnDutyPerson {
  userId: string;
  displayName: string;
  role: Role;
  since: string;
}

export interface OnDutyList {
  items: OnDutyPerson[];
}
