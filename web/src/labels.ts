import {
  CATEGORY_LABELS,
  DANGER_LABELS,
  FLAG_LABELS,
  FORCE_LABELS,
  FORM_ENUM_LABELS,
  GENDER_LABELS,
  OUTCOME_LABELS,
  PERSON_ROLE_LABELS,
  RISK_LABELS,
  ROLE_LABELS,
  STATUS_LABELS,
  STEP_LABELS,
  STUCK_LABELS,
  TASK_STATUS_LABELS,
  TIMELINE_LABELS,
} from '../../src/contract/labels';

/**
 * Italian words for the API's codes: the tables come from the shared contract
 * (src/contract/labels.ts, checked by the compiler against the server's code unions). An unknown
 * code is shown as it is, never hidden.
 */
export {
  CATEGORY_LABELS,
  DANGER_LABELS,
  FLAG_LABELS,
  FORCE_LABELS,
  FORM_ENUM_LABELS,
  GENDER_LABELS,
  OUTCOME_LABELS,
  PERSON_ROLE_LABELS,
  RISK_LABELS,
  ROLE_LABELS,
  STATUS_LABELS,
  STEP_LABELS,
  STUCK_LABELS,
  TASK_STATUS_LABELS,
  TIMELINE_LABELS,
};

const label = (map: Partial<Record<string, string>>) => (code: string | null | undefined): string => (code == null ? '—' : (map[code] ?? code));

export const roleLabel = label(ROLE_LABELS);
export const statusLabel = label(STATUS_LABELS);
export const stepLabel = label(STEP_LABELS);
export const riskLabel = (code: string | null | undefined) => (code == null ? 'Non valutato' : label(RISK_LABELS)(code));
export const taskStatusLabel = label(TASK_STATUS_LABELS);
export const categoryLabel = label(CATEGORY_LABELS);
export const forceLabel = label(FORCE_LABELS);
export const dangerLabel = label(DANGER_LABELS);
export const personRoleLabel = label(PERSON_ROLE_LABELS);
export const genderLabel = label(GENDER_LABELS);
export const flagLabel = label(FLAG_LABELS);
export const outcomeLabel = label(OUTCOME_LABELS);
export const timelineLabel = label(TIMELINE_LABELS);
export const stuckLabel = label(STUCK_LABELS);

export const DEADLINE_LABELS: Record<string, string> = {
  task: 'Scadenza attività',
  handover: 'Passaggio di consegne al Comune',
  'reminder:codice_rosso_hearing': 'Codice Rosso: audizione della vittima',
  'reminder:msna_identification': 'MSNA: identificazione',
  'reminder:msna_first_reception_max': 'MSNA: termine prima accoglienza',
};
export const deadlineLabel = label(DEADLINE_LABELS);

/** Titles for form members the schema leaves without a description. */
export const FORM_KEY_LABELS: Record<string, string> = {
  questions: 'Domande di valutazione',
};
