import type { Prisma } from '../generated/prisma/client';
import type { Actor, CaseActor, Role } from '../domain';
import { ProblemError } from './problem';

/**
 * Who may do what: one role × action matrix. Handlers ask `authorize(actor, action)`; case-level
 * scoping (the actor's Ambiti, a social worker's Comune) is applied on top through
 * `caseScope`/`taskScope`/`canSeeCase`.
 *
 * Decisions worth knowing:
 * - `admin` (developer/administrator) runs the system, it does not work on cases: it sees the case
 *   list (codes and states only, no personal data) and supervision, never a case file.
 * - Protected placement addresses (anti-violence shelters) are readable only by the coordinator;
 *   the emergency operator who records the placement types the address but cannot read it back.
 * - Escalating a case is open to the operators (they escalate *to* the coordinator) and to the
 *   coordinator, as the workflow contract allows.
 */
export const ACTIONS = [
  'case.create',
  'case.list',
  'case.read',
  'case.note',
  'case.cancel',
  'case.override_scope',
  'case.move_handover',
  'case.escalate',
  'case.retry_persistence',
  'case.read_protected_address',
  'task.list',
  'task.read',
  'task.claim',
  'task.complete',
  'task.reassign',
  'supervision.read',
  'request.read',
  'report.monitoring',
  'person.search',
  'person.link',
  'person.unlink',
  'user.list',
  'user.manage',
  'milestone.read',
  'milestone.list',
  'milestone.evidence',
  'document.generate',
  'admin.territory',
  'admin.calendar',
  'admin.settings',
  'resource.admin',
  'resource.list',
  'resource.availability',
  'resource.release',
  'duty.set',
  'duty.read',
] as const;
export type Action = (typeof ACTIONS)[number];

const ALL_CASE_WORKERS: readonly Role[] = ['intake_operator', 'emergency_operator', 'coordinator', 'social_worker'];

export const PERMISSIONS: Record<Action, readonly Role[]> = {
  'case.create': ['intake_operator', 'coordinator'],
  'case.list': [...ALL_CASE_WORKERS, 'admin'],
  'case.read': ALL_CASE_WORKERS,
  'case.note': ALL_CASE_WORKERS,
  'case.cancel': ['coordinator'],
  'case.override_scope': ['coordinator'],
  'case.move_handover': ['coordinator'],
  'case.escalate': ['intake_operator', 'emergency_operator', 'coordinator'],
  'case.retry_persistence': ['coordinator'],
  'case.read_protected_address': ['coordinator'],
  'task.list': ['emergency_operator', 'coordinator', 'social_worker'],
  'task.read': ['emergency_operator', 'coordinator', 'social_worker'],
  'task.claim': ['emergency_operator', 'coordinator', 'social_worker'],
  'task.complete': ['emergency_operator', 'coordinator', 'social_worker'],
  'task.reassign': ['coordinator'],
  'supervision.read': ['coordinator', 'admin'],
  /** The outcome of one's own action answered 202 (a coordinator may read anyone's). */
  'request.read': ALL_CASE_WORKERS,
  /** Aggregates for funders and planning (no personal data): who plans the service. */
  'report.monitoring': ['coordinator', 'admin'],
  /** Person history: looking a person up across earlier cases, and linking them, is for who acts on the case. */
  'person.search': ['emergency_operator', 'coordinator'],
  'person.link': ['emergency_operator', 'coordinator'],
  'person.unlink': ['emergency_operator', 'coordinator'],
  /** User administration: admin for everyone, a coordinator for the operators of their Ambiti (src/api/routes/admin-users.ts). */
  'user.list': ['admin', 'coordinator'],
  'user.manage': ['admin', 'coordinator'],
  /** A case's legal deadlines; social workers read those of the cases handed to their Comune. */
  'milestone.read': ['emergency_operator', 'coordinator', 'social_worker'],
  /** The "Scadenze" view across cases. */
  'milestone.list': ['coordinator'],
  /** Operators for the service's own terms, the coordinator for every term (src/api/routes/milestones.ts). */
  'milestone.evidence': ['emergency_operator', 'coordinator'],
  /** Official PDFs; which role may generate which document: src/documents/index.ts. */
  'document.generate': ['emergency_operator', 'coordinator', 'social_worker'],
  /** Ambiti and their Comuni (create, rename, move). */
  'admin.territory': ['admin'],
  /** Office calendars and extra closures: coordinators too (an office closing early on 24 December). */
  'admin.calendar': ['admin', 'coordinator'],
  'admin.settings': ['admin'],
  /** The network-resource directory: kept by coordinators and administrators. */
  'resource.admin': ['coordinator', 'admin'],
  'resource.list': ['emergency_operator', 'coordinator', 'admin'],
  /** Free units now (beds tonight): the people on the phone with the resources. */
  'resource.availability': ['emergency_operator', 'coordinator'],
  'resource.release': ['emergency_operator', 'coordinator'],
  /** Going on and off duty (alerts): the staff of the night service. */
  'duty.set': ['emergency_operator', 'coordinator'],
  /** Who is on duty now (the dashboard's "In servizio" panel). */
  'duty.read': ['coordinator', 'admin'],
};

export function can(actor: Actor, action: Action): boolean {
  return PERMISSIONS[action].includes(actor.role);
}

export function forbidden(detail = 'Operazione non consentita per il tuo ruolo'): ProblemError {
  return new ProblemError(403, { detail });
}

/** A case as the visibility rule reads it. */
export interface ScopedCase {
  ambitoId: string;
  competentComuneCode: string | null;
  eventComuneCode: string;
}

/** Roles whose view of cases is limited to one Comune. */
function scopedComune(actor: Actor): string | undefined {
  if (actor.role !== 'social_worker') return undefined;
  // A social worker token always carries a Comune (the verifier enforces it); fail closed anyway.
  return actor.comuneCode ?? '-';
}

/**
 * THE visibility rule: the cases an actor may see, as a Prisma filter.
 * - admin: every case (admin reads codes and states only; the matrix keeps it off case files);
 * - social worker: the cases whose competent Comune is theirs, or, before the handover decided
 *   one, whose event happened in their Comune;
 * - every other role: the cases of their Ambiti (`actor.ambitoIds`; none ⇒ no case).
 * A case outside it is answered 404, as if it did not exist (`canSeeCase` on single cases).
 */
export function caseScope(actor: Actor): Prisma.CaseWhereInput {
  if (actor.role === 'admin') return {};
  const comune = scopedComune(actor);
  if (comune !== undefined) {
    return { OR: [{ competentComuneCode: comune }, { competentComuneCode: null, eventComuneCode: comune }] };
  }
  return { ambitoId: { in: actor.ambitoIds } };
}

/**
 * The tasks of the cases the actor may see: `caseScope` for tasks. The Ambito rule reads the task's
 * own `ambitoId` (its case's, kept by a trigger: see prisma/schema.prisma), so a task list is one
 * index range and never a join over every case of the Ambito; a social worker's Comune rule (the
 * competent Comune changes at handover) still goes through the task's case.
 */
export function taskScope(actor: Actor): Prisma.TaskWhereInput {
  if (actor.role === 'admin') return {};
  if (scopedComune(actor) !== undefined) return { case: caseScope(actor) };
  return { ambitoId: { in: [...actor.ambitoIds] } };
}

/** `caseScope` for one case already read. */
export function canSeeCase(actor: Actor, c: ScopedCase): boolean {
  if (actor.role === 'admin') return true;
  const comune = scopedComune(actor);
  if (comune !== undefined) return c.competentComuneCode === null ? c.eventComuneCode === comune : c.competentComuneCode === comune;
  return actor.ambitoIds.includes(c.ambitoId);
}

/** Whether the actor works in Ambito `ambitoId` (admin: every Ambito). */
export function inAmbito(actor: Actor, ambitoId: string | null | undefined): boolean {
  return actor.role === 'admin' || (ambitoId != null && actor.ambitoIds.includes(ambitoId));
}

/** The actor as a case workflow receives it: user, role and Comune (its Ambiti stay in the API). */
export function caseActorOf(actor: Actor): CaseActor {
  return { userId: actor.userId, role: actor.role, ...(actor.comuneCode !== undefined && { comuneCode: actor.comuneCode }) };
}
