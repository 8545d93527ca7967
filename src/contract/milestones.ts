/**
 * Legal deadlines (milestones) and official documents: codes, Italian labels and answer shapes,
 * shared by the API and the console. The clocks and legal sources are in src/milestones/catalog.ts.
 */

export const MILESTONE_KINDS = [
  'art403_report_24h',
  'art403_prosecutor_72h',
  'art403_court_48h',
  'art403_hearing_15d',
  'codice_rosso_hearing_3d',
  'msna_identification_10d',
  'msna_cultural_mediator',
  'msna_first_reception_30d',
  'msna_adult_facility_90d',
  'msna_adult_facility_max_150d',
  'msna_sim_registration',
] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];

export const MILESTONE_STATES = ['due', 'met', 'missed', 'not_applicable'] as const;
export type MilestoneState = (typeof MILESTONE_STATES)[number];

export const MILESTONE_ACTORS = ['us', 'prosecutor', 'court', 'territorial_service'] as const;
export type MilestoneActor = (typeof MILESTONE_ACTORS)[number];

export const EVIDENCE_FIELDS = ['sentAt', 'channel', 'pecProtocol', 'decreeDate', 'hearingDate', 'note'] as const;
export type EvidenceField = (typeof EVIDENCE_FIELDS)[number];

export const EVIDENCE_CHANNELS = ['pec', 'email', 'fax', 'phone', 'hand'] as const;

export const DOCUMENT_KINDS = ['art403_report', 'msna_notice', 'handover_summary'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const MILESTONE_LABELS: Record<MilestoneKind, string> = {
  art403_report_24h: 'Provvedimento e relazione al PM minorile (24 ore)',
  art403_prosecutor_72h: 'Richiesta di convalida o revoca del PM (72 ore)',
  art403_court_48h: 'Decreto del Tribunale per i minorenni (48 ore)',
  art403_hearing_15d: 'Udienza di comparizione (entro 15 giorni)',
  codice_rosso_hearing_3d: 'Audizione della vittima da parte del PM (3 giorni)',
  msna_identification_10d: 'Identificazione del minore (10 giorni)',
  msna_cultural_mediator: 'Colloquio con il mediatore culturale',
  msna_first_reception_30d: 'Termine massimo della prima accoglienza (30 giorni)',
  msna_adult_facility_90d: 'Permanenza in struttura per adulti, ultrasedicenne (90 giorni)',
  msna_adult_facility_max_150d: 'Permanenza in struttura per adulti con proroga (90 + 60 giorni)',
  msna_sim_registration: 'Iscrizione nel SIM del Ministero del Lavoro',
};

export const MILESTONE_STATE_LABELS: Record<MilestoneState, string> = {
  due: 'In scadenza',
  met: 'Adempiuta',
  missed: 'Scaduta',
  not_applicable: 'Non applicabile',
};

export const MILESTONE_ACTOR_LABELS: Record<MilestoneActor, string> = {
  us: 'Pronto Intervento Sociale',
  prosecutor: 'Procura per i minorenni / PM',
  court: 'Tribunale per i minorenni',
  territorial_service: 'Servizio sociale territoriale',
};

export const EVIDENCE_FIELD_LABELS: Record<EvidenceField, string> = {
  sentAt: 'Data e ora di invio',
  channel: 'Canale',
  pecProtocol: 'Protocollo PEC',
  decreeDate: 'Data del provvedimento',
  hearingDate: 'Data dell’udienza o del colloquio',
  note: 'Note',
};

export const DOCUMENT_LABELS: Record<DocumentKind, string> = {
  art403_report: 'Segnalazione ex art. 403 c.c. al PM minorile',
  msna_notice: 'Segnalazione MSNA',
  handover_summary: 'Sintesi del passaggio di consegne al Comune',
};

/** One milestone as the API answers it. */
export interface MilestoneItem {
  id: string;
  caseId: string;
  kind: MilestoneKind;
  label: string;
  legalSource: string;
  actor: MilestoneActor;
  triggerAt: string;
  triggerEstimated: boolean;
  dueAt: string;
  state: MilestoneState;
  /** Still due and within the Ambito's first reminder lead time. */
  dueSoon: boolean;
  /** The evidence that marks it met. */
  requiredEvidence: EvidenceField[];
  evidence: {
    sentAt: string | null;
    channel: string | null;
    pecProtocol: string | null;
    decreeDate: string | null;
    hearingDate: string | null;
    note: string | null;
    byId: string | null;
    byRole: string | null;
    at: string | null;
  };
  /** Whether the caller may enter evidence on it. */
  canEnterEvidence: boolean;
}

export interface MilestoneRow extends MilestoneItem {
  case: { reference: string; eventComuneCode: string; competentComuneCode: string | null };
}

export interface CaseMilestones {
  items: MilestoneItem[];
  /** The documents the caller may generate for this case (kind and recipients). */
  documents: Array<{ kind: DocumentKind; label: string; recipients: string[] }>;
}

/**
 * Task types the read model derives legal deadlines from (src/milestones/derive.ts): a lean write
 * of the case (patch `lean-history`) always carries them, whatever else changed.
 */
export const MILESTONE_SOURCE_TASK_TYPES: readonly string[] = ['art403_report', 'av_consent', 'msna_placement'];
