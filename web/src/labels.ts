import * as L from '../../src/contract/labels';

/**
 * Italian words for the API's codes: the tables come from the shared contract
 * (src/contract/labels.ts, checked by the compiler against the server's code unions). An unknown
 * code is shown as it is, never hidden.
 */
export * from '../../src/contract/labels';

const label = (map: Partial<Record<string, string>>) => (code: string | null | undefined): string => (code == null ? '—' : (map[code] ?? code));

export const roleLabel = label(L.ROLE_LABELS);
export const statusLabel = label(L.STATUS_LABELS);
export const stepLabel = label(L.STEP_LABELS);
export const riskLabel = (code: string | null | undefined) => (code == null ? 'Non valutato' : label(L.RISK_LABELS)(code));
export const taskStatusLabel = label(L.TASK_STATUS_LABELS);
export const categoryLabel = label(L.CATEGORY_LABELS);
export const forceLabel = label(L.FORCE_LABELS);
export const dangerLabel = label(L.DANGER_LABELS);
export const personRoleLabel = label(L.PERSON_ROLE_LABELS);
export const genderLabel = label(L.GENDER_LABELS);
export const flagLabel = label(L.FLAG_LABELS);
export const outcomeLabel = label(L.OUTCOME_LABELS);
export const timelineLabel = label(L.TIMELINE_LABELS);
export const stuckLabel = label(L.STUCK_LABELS);
export const resourceTypeLabel = label(L.RESOURCE_TYPE_LABELS);
export const capacityUnitLabel = label(L.CAPACITY_UNIT_LABELS);

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
