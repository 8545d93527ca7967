/**
 * The shapes of the API's answers, shared by the server (which checks what it sends against them
 * through `Sent<T>`) and the console (which reads them). Dates travel as ISO strings.
 */
import type { Role } from '../domain';
import type { TimelineKind } from '../workflows/steps/registry';

/** What a route may hand to res.json for a wire type T: the same shape, with Date where T has a string. */
export type Sent<T> = T extends string
  ? string extends T
    ? T | Date
    : T
  : T extends ReadonlyArray<infer U>
    ? ReadonlyArray<Sent<U>>
    : T extends object
      ? { [K in keyof T]: Sent<T[K]> }
      : T;

export interface TaskItem {
  id: string;
  caseId: string;
  type: string;
  label: string;
  status: string;
  candidateRole: Role;
  comuneCode: string | null;
  assigneeId: string | null;
  createdAt: string;
  claimedAt: string | null;
  dueAt: string | null;
  completedAt: string | null;
  overdue: boolean;
  escalatedAt: string | null;
  /** Why and to whom the task was escalated (set by the escalation step). */
  escalation?: unknown;
  case: { reference: string; status: string; step: string; riskLevel: string | null; eventComuneCode: string; competentComuneCode: string | null };
}

export interface TaskDetail extends TaskItem {
  formSchema: Record<string, unknown> | null;
  submission: { form: Record<string, unknown>; submittedById: string; submittedAt: string } | null;
}

export interface CaseState {
  caseId: string;
  reference: string;
  status: string;
  step: string;
  riskLevel: string | null;
  closure: { outcome: string; reason?: string } | null;
  tasks: Array<{ id: string; type: string; label: string; status: string; assigneeId: string | null; dueAt: string | null }>;
  /** The case's open tasks after the action (read-your-writes: they can be opened at once). */
  nextTasks?: Array<{ id: string; type: string; label: string; status: string; candidateRole: Role; assigneeId: string | null }>;
}

export interface CaseRow {
  id: string;
  reference: string;
  reportingForce?: string;
  reportNumber?: string;
  status: string;
  step: string;
  riskLevel: string | null;
  flags: string[];
  categories: string[];
  minorsInvolved: boolean;
  eventComuneCode: string;
  residenceComuneCode?: string | null;
  competentComuneCode: string | null;
  externalHandover: boolean;
  reportedAt: string;
  handoverAt: string | null;
  overdueSince: string | null;
  lastProgressAt: string;
  outcomeCode: string | null;
  outcomeReason?: string | null;
  closedAt: string | null;
  createdAt: string;
}

/** A task as listed in its case's file (the case itself is the file). */
export type CaseTask = Omit<TaskItem, 'case'>;

export interface CaseFile {
  case: CaseRow;
  report: { reportingForce?: string; officerName?: string; callbackNumber?: string; reportNumber?: string; eventAddress?: string; narrative?: string; immediateDangers?: string[] } | null;
  people: Array<{ id: string; role: string; firstName: string | null; lastName: string | null; birthYear: number | null; isMinor: boolean; gender: string | null; nationality: string | null; notes: string | null }>;
  tasks: { open: CaseTask[]; past: CaseTask[] };
  timeline: Array<{ id: string; seq: number; at: string; actorId: string; actorRole: Role | 'system'; kind: TimelineKind; data: Record<string, unknown> }>;
  notes: Array<{ id: string; authorId: string; authorRole: string; text: string; createdAt: string }>;
  /** Completed task forms (free text included: the case file is for roles that may read it). */
  submissions: Array<{ taskId: string; type: string; form: unknown; submittedById: string; submittedAt: string }>;
  placements: Array<{ id: string; address: string | null; addressHidden?: boolean; placedAt: string }>;
  activations: Array<{ id: string; type?: string; activatedAt: string }>;
  reminders: Array<{ id: string; kind: string; dueAt: string; firedAt: string | null }>;
  handover: { comuneCode: string; external: boolean; openingAt: string; summary: unknown } | null;
  deadlines: Array<{ kind: string; at: string; taskId?: string; type?: string }>;
}

export interface Page<T> {
  items: T[];
  total: number;
  /** Past its counting cap (task list) the total says "at least"; the case list's totals are exact. */
  totalCapped?: boolean;
  limit?: number;
  offset?: number;
  /** Case and task lists: the `cursor` of the next page (keyset pagination), null on the last page. */
  nextCursor?: string | null;
}

export interface Comune {
  code: string;
  name: string;
  province: string;
  ambitoId: string | null;
}

export interface UserRef {
  id: string;
  displayName: string;
  role: Role;
  comuneCode: string | null;
}
