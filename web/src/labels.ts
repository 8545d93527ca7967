/** Italian words for the API's codes. An unknown code is shown as it is, never hidden. */

const label = (map: Record<string, string>) => (code: string | null | undefined): string => (code == null ? '—' : (map[code] ?? code));

export const ROLE_LABELS: Record<string, string> = {
  intake_operator: 'Operatore di centrale',
  emergency_operator: 'Operatore di pronto intervento',
  coordinator: 'Coordinatore',
  social_worker: 'Assistente sociale del Comune',
  admin: 'Amministratore',
  system: 'Sistema',
};
export const roleLabel = label(ROLE_LABELS);

export const STATUS_LABELS: Record<string, string> = {
  intake: 'Ricezione',
  scope_review: 'Verifica di competenza',
  open: 'Aperto',
  awaiting_handover: 'In attesa del passaggio al Comune',
  handover: 'Passaggio di consegne in corso',
  closed: 'Chiuso',
};
export const statusLabel = label(STATUS_LABELS);

export const STEP_LABELS: Record<string, string> = {
  intake: 'Ricezione',
  scope_review: 'Verifica di competenza',
  take_charge: 'Presa in carico',
  risk_check: 'Valutazione del rischio',
  intervention: 'Intervento',
  anti_violence: 'Percorso antiviolenza',
  minor_protection: 'Tutela minori',
  handover: 'Passaggio di consegne',
  closure: 'Chiusura',
};
export const stepLabel = label(STEP_LABELS);

export const RISK_LABELS: Record<string, string> = { low: 'Basso', medium: 'Medio', high: 'Alto', critical: 'Critico' };
export const riskLabel = (code: string | null | undefined) => (code == null ? 'Non valutato' : (RISK_LABELS[code] ?? code));

export const TASK_STATUS_LABELS: Record<string, string> = {
  open: 'Da prendere in carico',
  claimed: 'In carico',
  completed: 'Completata',
  cancelled: 'Annullata',
};
export const taskStatusLabel = label(TASK_STATUS_LABELS);

export const CATEGORY_LABELS: Record<string, string> = {
  adults_families_marginality: 'Adulti e famiglie in grave marginalità',
  frail_without_caregiver: 'Persona fragile senza caregiver',
  homeless: 'Persona senza dimora',
  msna: 'Minore straniero non accompagnato (MSNA)',
  minors_at_risk: 'Minori in situazione di rischio',
  women_violence: 'Donna vittima di violenza',
};
export const categoryLabel = label(CATEGORY_LABELS);

export const FORCE_LABELS: Record<string, string> = {
  carabinieri: 'Carabinieri',
  polizia_di_stato: 'Polizia di Stato',
  polizia_locale: 'Polizia Locale',
  guardia_di_finanza: 'Guardia di Finanza',
  polizia_penitenziaria: 'Polizia Penitenziaria',
  other: 'Altro (non forza dell’ordine)',
};
export const forceLabel = label(FORCE_LABELS);

export const DANGER_LABELS: Record<string, string> = {
  violence_ongoing: 'Violenza in corso',
  weapons: 'Presenza di armi',
  health_emergency: 'Emergenza sanitaria',
  cold_exposure: 'Esposizione al freddo',
  minor_alone: 'Minore solo',
  self_harm: 'Rischio di autolesionismo',
  none: 'Nessuno',
};
export const dangerLabel = label(DANGER_LABELS);

export const PERSON_ROLE_LABELS: Record<string, string> = { subject: 'Persona segnalata', child: 'Figlio/a', companion: 'Accompagnatore', other: 'Altro' };
export const personRoleLabel = label(PERSON_ROLE_LABELS);
export const GENDER_LABELS: Record<string, string> = { f: 'Femmina', m: 'Maschio', x: 'Non specificato' };

export const FLAG_LABELS: Record<string, string> = {
  violence: 'Violenza',
  minors: 'Minori',
  health: 'Salute',
  msna: 'MSNA',
  art403: 'Art. 403 c.c.',
};
export const flagLabel = label(FLAG_LABELS);

export const OUTCOME_LABELS: Record<string, string> = {
  taken_on_by_comune: 'Preso in carico dal Comune',
  handed_over_external: 'Passato a un Comune fuori Ambito',
  resolved: 'Risolto',
  redirected: 'Reindirizzato (fuori competenza)',
  cancelled: 'Annullato dal coordinatore',
};
export const outcomeLabel = label(OUTCOME_LABELS);

export const TIMELINE_LABELS: Record<string, string> = {
  case_opened: 'Caso aperto',
  scope_assessed: 'Competenza verificata',
  scope_overridden: 'Competenza forzata dal coordinatore',
  task_created: 'Attività creata',
  task_claimed: 'Attività presa in carico',
  task_completed: 'Attività completata',
  task_reassigned: 'Attività riassegnata',
  task_escalated: 'Attività segnalata al coordinatore',
  task_reminder: 'Sollecito',
  risk_assessed: 'Rischio valutato',
  health_emergency: 'Emergenza sanitaria (112/118)',
  minors_flagged: 'Minori segnalati',
  anti_violence: 'Percorso antiviolenza',
  av_consent_refused: 'Consenso al percorso antiviolenza rifiutato',
  welfare_recheck_scheduled: 'Controllo di benessere programmato',
  handover_scheduled: 'Passaggio di consegne programmato',
  handover_moved: 'Passaggio di consegne spostato',
  reminder_scheduled: 'Promemoria programmato',
  reminder_due: 'Promemoria scaduto',
  case_escalated: 'Caso segnalato al coordinatore',
  case_overdue: 'Caso in ritardo',
  case_back_on_time: 'Caso di nuovo nei tempi',
  note_added: 'Nota aggiunta',
  persistence_retried: 'Salvataggio riprovato dal coordinatore',
  case_closed: 'Caso chiuso',
};
export const timelineLabel = label(TIMELINE_LABELS);

export const STUCK_LABELS: Record<string, string> = {
  task_overdue: 'Attività scaduta',
  no_progress: 'Nessun avanzamento',
  activity_failing: 'Attività di sistema in errore',
  workflow_task_failing: 'Workflow in errore',
  workflow_failed: 'Workflow terminato senza chiusura',
  no_worker: 'Nessun worker attivo',
  workflow_not_started: 'Workflow non ancora avviato',
  persistence_failed: 'Salvataggio non riuscito',
};
export const stuckLabel = label(STUCK_LABELS);

export const DEADLINE_LABELS: Record<string, string> = {
  task: 'Scadenza attività',
  handover: 'Passaggio di consegne al Comune',
  'reminder:codice_rosso_hearing': 'Codice Rosso: audizione della vittima',
  'reminder:msna_identification': 'MSNA: identificazione',
  'reminder:msna_first_reception_max': 'MSNA: termine prima accoglienza',
};
export const deadlineLabel = label(DEADLINE_LABELS);

/** Labels of enumerated values inside task forms (values are unique across forms). */
export const FORM_ENUM_LABELS: Record<string, string> = {
  low: 'Basso',
  medium: 'Medio',
  high: 'Alto',
  critical: 'Critico',
  emergency_bed: 'Posto letto di emergenza',
  women_shelter: 'Casa rifugio',
  minor_first_reception: 'Prima accoglienza minori',
  meal_service: 'Pasto',
  transport: 'Trasporto',
  cav_on_call: 'CAV reperibile',
  health_service: 'Servizio sanitario',
  other: 'Altro',
  placed: 'Collocamento effettuato',
  assisted_on_site: 'Assistenza sul posto',
  refused_help: 'Aiuto rifiutato',
  hospitalised: 'Ricovero',
  not_found: 'Persona non trovata',
  stable: 'Stabili',
  worsened: 'Peggiorate',
  taken_in_charge: 'Presa in carico dal CAV',
  callback_scheduled: 'Richiamata programmata',
  unreachable: 'Non raggiungibile',
  procura_minorenni: 'Procura per i minorenni',
  tribunale_minorenni: 'Tribunale per i minorenni',
  ministero_lavoro: 'Ministero del Lavoro',
  pec: 'PEC',
  email: 'E-mail',
  fax: 'Fax',
  phone: 'Telefono',
  override: 'Il PIS interviene comunque',
  confirm_redirect: 'Confermare il reindirizzamento',
  reassigned: 'Riassegnata',
  contacted_operator: 'Contattato l’operatore',
  handled: 'Gestita',
  no_action_needed: 'Nessuna azione necessaria',
};

/** Titles for form members the schema leaves without a description. */
export const FORM_KEY_LABELS: Record<string, string> = {
  questions: 'Domande di valutazione',
};
