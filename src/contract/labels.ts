import type { CaseStatus, ReportingForce, RiskLevel, Role, StuckKind, TargetCategory } from '../domain';
import type { GENDERS, ImmediateDanger, PERSON_ROLES } from '../cases/intake-schema';
import type { TaskStatus } from '../workflows/model';
import { OUTCOME_LABELS } from '../workflows/steps/closure';
import type { ProtocolSettings } from '../workflows/steps/registry';
import { FLAG_LABELS, FORM_ENUM_LABELS, STEP_LABELS, TASK_LABELS, TIMELINE_LABELS } from '../workflows/steps/registry';

/**
 * Italian words for the codes the API answers with, one table per vocabulary, shared by API and
 * console (web/src/labels.ts). Each table is a Record over its code union: a step, task type,
 * flag, timeline kind or status without a label does not compile. The step tables come from the
 * step folders (src/workflows/steps/<step>/index.ts).
 */

export { FLAG_LABELS, FORM_ENUM_LABELS, OUTCOME_LABELS, STEP_LABELS, TASK_LABELS, TIMELINE_LABELS };

export const ROLE_LABELS: Record<Role | 'system', string> = {
  intake_operator: 'Operatore di centrale',
  emergency_operator: 'Operatore di pronto intervento',
  coordinator: 'Coordinatore',
  social_worker: 'Assistente sociale del Comune',
  admin: 'Amministratore',
  system: 'Sistema',
};

export const STATUS_LABELS: Record<CaseStatus, string> = {
  intake: 'Ricezione',
  scope_review: 'Verifica di competenza',
  open: 'Aperto',
  awaiting_handover: 'In attesa del passaggio al Comune',
  handover: 'Passaggio di consegne in corso',
  closed: 'Chiuso',
};

export const RISK_LABELS: Record<RiskLevel, string> = { low: 'Basso', medium: 'Medio', high: 'Alto', critical: 'Critico' };

export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
  open: 'Da prendere in carico',
  claimed: 'In carico',
  completed: 'Completata',
  cancelled: 'Annullata',
};

export const CATEGORY_LABELS: Record<TargetCategory, string> = {
  adults_families_marginality: 'Adulti e famiglie in grave marginalità',
  frail_without_caregiver: 'Persona fragile senza caregiver',
  homeless: 'Persona senza dimora',
  msna: 'Minore straniero non accompagnato (MSNA)',
  minors_at_risk: 'Minori in situazione di rischio',
  women_violence: 'Donna vittima di violenza',
};

export const FORCE_LABELS: Record<ReportingForce, string> = {
  carabinieri: 'Carabinieri',
  polizia_di_stato: 'Polizia di Stato',
  polizia_locale: 'Polizia Locale',
  guardia_di_finanza: 'Guardia di Finanza',
  polizia_penitenziaria: 'Polizia Penitenziaria',
  other: 'Altro (non forza dell’ordine)',
};

export const DANGER_LABELS: Record<ImmediateDanger, string> = {
  violence_ongoing: 'Violenza in corso',
  weapons: 'Presenza di armi',
  health_emergency: 'Emergenza sanitaria',
  cold_exposure: 'Esposizione al freddo',
  minor_alone: 'Minore solo',
  self_harm: 'Rischio di autolesionismo',
  none: 'Nessuno',
};

export const PERSON_ROLE_LABELS: Record<(typeof PERSON_ROLES)[number], string> = { subject: 'Persona segnalata', child: 'Figlio/a', companion: 'Accompagnatore', other: 'Altro' };
export const GENDER_LABELS: Record<(typeof GENDERS)[number], string> = { f: 'Femmina', m: 'Maschio', x: 'Non specificato' };

export const STUCK_LABELS: Record<StuckKind, string> = {
  task_overdue: 'Attività scaduta',
  no_progress: 'Nessun avanzamento',
  activity_failing: 'Attività di sistema in errore',
  workflow_task_failing: 'Workflow in errore',
  workflow_failed: 'Workflow terminato senza chiusura',
  no_worker: 'Nessun worker attivo',
  workflow_not_started: 'Workflow non ancora avviato',
  persistence_failed: 'Salvataggio non riuscito',
};

/** Protocol settings (src/workflows/steps/<step>/index.ts `settings`), for the settings page. */
export const SETTING_LABELS: Record<keyof ProtocolSettings, string> = {
  scopeReviewMinutes: 'Verifica di competenza: chiusura automatica dopo (minuti)',
  takeChargeSlaMinutes: 'Presa in carico: escalation se non presa entro (minuti)',
  riskCheckDueMinutes: 'Valutazione del rischio: scadenza (minuti)',
  interventionDueMinutes: 'Intervento: scadenza (minuti)',
  welfareRecheckMinutes: 'Rifiuto di aiuto: nuova verifica dopo (minuti)',
  welfareRecheckDueMinutes: 'Nuova verifica: scadenza (minuti)',
  maxWelfareRechecks: 'Nuove verifiche: numero massimo',
  avConsentDueMinutes: 'Antiviolenza: consenso entro (minuti)',
  cavContactDueMinutes: 'Antiviolenza: contatto con il CAV entro (minuti)',
  protectedPlacementDueMinutes: 'Antiviolenza: collocamento protetto entro (minuti)',
  codiceRossoHearingDays: 'Codice Rosso: audizione entro (giorni)',
  msnaPlacementDueMinutes: 'MSNA: collocamento entro (minuti)',
  msnaNoticesDueMinutes: 'MSNA: comunicazioni entro (minuti)',
  msnaIdentificationDays: 'MSNA: identificazione entro (giorni)',
  msnaFirstReceptionMaxDays: 'MSNA: prima accoglienza al massimo (giorni)',
  art403ReportDueMinutes: 'Art. 403: relazione al PM entro (minuti)',
  art403ReminderMinutes: 'Art. 403: promemoria al coordinatore dopo (minuti)',
  handoverAckMinutes: 'Passaggio di consegne: promemoria se non preso in visione entro (minuti)',
  handoverEscalationMinutes: 'Passaggio di consegne: escalation dopo il promemoria (minuti)',
  externalHandoverDueMinutes: 'Passaggio fuori Ambito: scadenza (minuti)',
  escalationTaskDueMinutes: 'Escalation: scadenza (minuti)',
  continueAsNewAfterEvents: 'Tecnico: eventi prima di continue-as-new',
};
