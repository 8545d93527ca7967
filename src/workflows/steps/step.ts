import type { z } from 'zod';
import type { Role } from '../../domain';

/**
 * The contract every protocol step folder fulfils (steps/<step>/index.ts). The registry
 * (steps/registry.ts) builds the task-form table, candidate roles, labels, outcome extraction and
 * the settings schema from the list of steps: a new step is one folder plus one registry line.
 * The step's walk lives beside it (steps/<step>/walk.ts) and is called from ../protocol.ts.
 */

/** The non-identifying decision the protocol keeps from a completed form (HumanTask.outcome). */
export type TaskOutcome = Record<string, string | number | boolean | null>;

/** What outcome extraction and revision checks may look at besides the form. */
export interface TaskContext {
  /** Minors were reported at intake. */
  minorsAtIntake: boolean;
  /** The protocol revision the case runs (undefined: revision 1). */
  protocolRevision?: number;
}

export interface FormIssue {
  path: string;
  message: string;
}

export interface TaskDefinition<F extends z.ZodType = z.ZodType> {
  /** The form, validated by the workflow's update validator, exported as JSON Schema, rendered by the console. */
  form: F;
  /** Who may work on the task. */
  candidateRole: Role;
  /** The part of the form the protocol needs to recordDecision what comes next. Names, addresses, free text go to PostgreSQL only. */
  outcome(data: z.infer<F>, context: TaskContext): TaskOutcome;
  /** Rules that depend on the case (e.g. questions a protocol revision requires), after the form parsed. */
  check?(data: z.infer<F>, context: TaskContext): FormIssue[];
}

/** Italian words of a step (operators read them). Pure data: the console imports it. */
export interface StepLabels {
  /** The `Step` values this folder owns (CaseState.step), with their labels. */
  steps: Record<string, string>;
  /** Its task types. */
  tasks: Record<string, string>;
  /** Timeline entries (decision kinds) its walk records. */
  timeline: Record<string, string>;
  /** Case flags it sets (read model `flags`). */
  flags?: Record<string, string>;
  /** Enumerated values inside its forms (values are unique across forms). */
  formEnums?: Record<string, string>;
}

export interface StepModule<T extends string = string, S extends string = string> {
  labels: StepLabels & { tasks: Record<T, string> };
  tasks: { [K in T]: TaskDefinition };
  /** Default timings (minutes unless the name says days); per Ambito overrides in the database. */
  settings: Record<S, number>;
  /** Supervision: how long a case may stay in each of its steps without progress before it counts as stuck. */
  stallAllowanceMinutes: Record<string, number>;
}

/** Identity with inference: keeps each task's form type (so `TaskForm<'risk_check'>` is precise). */
export function task<F extends z.ZodType>(definition: TaskDefinition<F>): TaskDefinition<F> {
  return definition;
}

export function defineStep<const T extends string, const S extends string, M extends StepModule<T, S>>(module: M & StepModule<T, S>): M {
  return module;
}
