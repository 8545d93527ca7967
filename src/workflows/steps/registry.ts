import { z } from 'zod';
import { antiViolence } from './anti-violence';
import { closure } from './closure';
import { escalation } from './escalation';
import { CHANNEL_LABELS } from './fields';
import { handover } from './handover';
import { intakeScope } from './intake-scope';
import { intervention } from './intervention';
import { minorProtection } from './minor-protection';
import { riskCheck } from './risk-check';
import { defineStep, type FormIssue, type StepLabels, type StepModule, type TaskContext, type TaskDefinition, type TaskOutcome } from './step';
import { takeCharge } from './take-charge';

/**
 * The protocol's steps, in order. Everything else is built from this list: task forms, candidate
 * roles, labels, outcome extraction, default settings and their schema, supervision allowances.
 * A new step: its folder (steps/<step>/index.ts, walk.ts, test) and one line here; its walk is
 * called from ../protocol.ts (behind `patched()`, see docs/versioning.md).
 */

/** Decisions the workflow itself records, whatever the step (case-workflow.ts, handlers.ts, state.ts). */
const caseWide = defineStep({
  labels: {
    steps: {},
    tasks: {},
    timeline: {
      case_opened: 'Caso aperto',
      task_created: 'Attività creata',
      task_claimed: 'Attività presa in carico',
      task_completed: 'Attività completata',
      task_reassigned: 'Attività riassegnata',
      reminder_scheduled: 'Promemoria programmato',
      reminder_due: 'Promemoria scaduto',
      case_overdue: 'Caso in ritardo',
      case_back_on_time: 'Caso di nuovo nei tempi',
      note_added: 'Nota aggiunta',
      persistence_retried: 'Salvataggio riprovato dal coordinatore',
    },
    formEnums: CHANNEL_LABELS,
  },
  tasks: {},
  /** Continue-as-new once the history has this many events (Temporal's own suggestion also counts). */
  settings: { continueAsNewAfterEvents: 8000 },
  stallAllowanceMinutes: {},
});

export const STEP_MODULES = [
  intakeScope,
  takeCharge,
  riskCheck,
  intervention,
  antiViolence,
  minorProtection,
  handover,
  closure,
  escalation,
  caseWide,
] as const;

// ------------------------------------------------------------------------------------ types

type Module = (typeof STEP_MODULES)[number];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Merged<T> = UnionToIntersection<T> extends infer I ? { [K in keyof I]: I[K] } : never;

type TaskDefinitions = Merged<Module['tasks']>;
export type TaskType = Extract<keyof TaskDefinitions, string>;
export type Step = Extract<keyof Merged<Module['labels']['steps']>, string>;
export type TimelineKind = Extract<keyof Merged<Module['labels']['timeline']>, string>;
export type TaskForm<T extends TaskType> = TaskDefinitions[T] extends TaskDefinition<infer F> ? z.infer<F> : never;
/** Form data as submitted (validated against the task type's schema). */
export type FormData = Record<string, unknown>;
/** Protocol timings (minutes unless the name says days). Configuration: per Ambito in the database. */
export type ProtocolSettings = { [K in keyof Merged<Module['settings']>]: number };

function merge<T extends object>(parts: readonly T[]): Merged<T> {
  return Object.assign({}, ...parts) as Merged<T>;
}
function mapValues<T extends object, V>(o: T, f: (v: T[keyof T]) => V): { [K in keyof T]: V } {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v as T[keyof T])])) as { [K in keyof T]: V };
}

// ------------------------------------------------------------------------------------ tables

const TASKS: TaskDefinitions = merge(STEP_MODULES.map((m) => m.tasks));

export const STEPS = STEP_MODULES.flatMap((m) => Object.keys(m.labels.steps)) as [Step, ...Step[]];
export const TASK_TYPES = Object.keys(TASKS) as TaskType[];
export const TASK_FORMS: { [K in TaskType]: TaskDefinitions[K]['form'] } = mapValues(TASKS, (t) => t.form) as never;
export const TASK_CANDIDATE_ROLE: Record<TaskType, TaskDefinition['candidateRole']> = mapValues(TASKS, (t) => t.candidateRole);

// The compiler checks completeness: a step, task type or timeline kind without a label does not build.
export const STEP_LABELS: Record<Step, string> = merge(STEP_MODULES.map((m) => m.labels.steps));
export const TASK_LABELS: Record<TaskType, string> = merge(STEP_MODULES.map((m) => m.labels.tasks));
export const TIMELINE_LABELS: Record<TimelineKind, string> = merge(STEP_MODULES.map((m) => m.labels.timeline));
export const FLAG_LABELS = riskCheck.labels.flags;
export const FORM_ENUM_LABELS: Record<string, string> = merge(STEP_MODULES.map((m): Record<string, string> => (m.labels as StepLabels).formEnums ?? {}));

export const DEFAULT_PROTOCOL_SETTINGS: ProtocolSettings = merge(STEP_MODULES.map((m) => m.settings));
export const STALL_ALLOWANCE_MINUTES: Record<Step, number> = merge(STEP_MODULES.map((m) => m.stallAllowanceMinutes));

/** Every setting is a whole number in this range (minutes, days or counts). */
export const PROTOCOL_SETTING_RANGE = { min: 1, max: 60 * 24 * 365 } as const;
const minutes = z.number().int().min(PROTOCOL_SETTING_RANGE.min).max(PROTOCOL_SETTING_RANGE.max);
/** Per-Ambito overrides of the protocol settings (every key optional, no unknown key). */
export const protocolSettingsOverridesSchema = z
  .object(Object.fromEntries(Object.keys(DEFAULT_PROTOCOL_SETTINGS).map((k) => [k, minutes.optional()])))
  .strict();

// ------------------------------------------------------------------------------------ forms

export type { FormIssue, StepModule, TaskContext, TaskOutcome };

export type FormValidation<T extends TaskType> = { ok: true; data: TaskForm<T> } | { ok: false; issues: FormIssue[] };

/**
 * Validates a form against its task type and, when the case is known, against what its protocol
 * revision requires (the step's `check`).
 */
export function validateTaskForm<T extends TaskType>(type: T, form: unknown, context: { protocolRevision?: number } = {}): FormValidation<T> {
  const definition = TASKS[type] as TaskDefinition;
  const result = definition.form.safeParse(form);
  if (!result.success) {
    return { ok: false, issues: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
  }
  const issues = definition.check?.(result.data, { minorsAtIntake: false, ...context }) ?? [];
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, data: result.data as TaskForm<T> };
}

/**
 * The non-identifying part of a completed form that the protocol needs to recordDecision what comes next.
 * Everything else (names, addresses, free text) goes to PostgreSQL only.
 */
export function extractOutcome(type: TaskType, data: unknown, minorsAtIntake: boolean, protocolRevision?: number): TaskOutcome {
  return (TASKS[type] as TaskDefinition).outcome(data, { minorsAtIntake, protocolRevision });
}
