import { z } from 'zod';
import type { Role } from './definitions';
import { asksAssistedViolence } from './revisions';
import { storableInstant } from '../instants';
import { requiredText, text as freeText } from '../text';

/**
 * The forms of every human task, defined once: validated by the workflow's update validators,
 * exported as JSON Schema by the API and rendered by the console. Labels are Italian (operators
 * read them); keys are English.
 */

const isoInstant = storableInstant();
// Every free-text field goes through the shared text rule (no control characters, NFC, bounded).
const text = (max: number) => freeText({ max });

export const RESOURCE_TYPES = [
  'emergency_bed',
  'women_shelter',
  'minor_first_reception',
  'meal_service',
  'transport',
  'cav_on_call',
  'health_service',
  'other',
] as const;

const takeChargeForm = z
  .object({
    etaMinutes: z.number().int().min(0).max(720).describe('Tempo stimato di arrivo sul posto (minuti)'),
    notes: text(2000).optional().describe('Note'),
  })
  .describe('Presa in carico');

export const riskQuestions = z.object({
  immediateDangerToLife: z.boolean().describe('Pericolo immediato per la vita'),
  injuries: z.boolean().describe('Lesioni o ferite'),
  healthDanger: z.boolean().describe('Pericolo per la salute (serve 112/118)'),
  violenceSuspected: z.boolean().describe('Violenza subita o sospetta'),
  perpetratorNearby: z.boolean().describe("L'autore della violenza è presente o vicino"),
  childrenPresent: z.boolean().describe('Minori presenti'),
  childrenCount: z.number().int().min(0).max(20).default(0).describe('Numero di minori presenti'),
  unaccompaniedMinor: z.boolean().describe('Minore straniero non accompagnato (MSNA)'),
  art403Placement: z.boolean().describe('Collocamento urgente ex art. 403 c.c.'),
  withoutShelter: z.boolean().describe('Senza alloggio per la notte'),
  freezingConditions: z.boolean().describe('Condizioni climatiche a rischio (freddo)'),
  withoutCaregiver: z.boolean().describe('Persona fragile rimasta senza caregiver'),
  selfHarmRisk: z.boolean().describe('Rischio di autolesionismo'),
  /** Protocol revision 2: required for cases on that revision (see `validateTaskForm`), ignored by older ones. */
  assistedViolence: z.boolean().optional().describe('Minori testimoni di violenza (violenza assistita)'),
});
export type RiskQuestions = z.infer<typeof riskQuestions>;

const emergencyServiceActivation = z.object({
  service: z.enum(['112', '118']).describe('Servizio attivato'),
  activatedAt: isoInstant.describe('Ora di attivazione'),
  reference: text(100).optional().describe('Riferimento della chiamata'),
});

const riskCheckForm = z
  .object({
    questions: riskQuestions,
    emergencyServices: z.array(emergencyServiceActivation).max(5).default([]).describe('Attivazioni 112/118'),
    levelOverride: z.enum(['low', 'medium', 'high', 'critical']).optional().describe('Livello di rischio deciso dall’operatore'),
    overrideReason: text(1000).optional().describe('Motivo della modifica del livello'),
    notes: text(4000).optional().describe('Note'),
  })
  .superRefine((f, ctx) => {
    if (f.questions.healthDanger && f.emergencyServices.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['emergencyServices'], message: "con pericolo per la salute va registrata l'attivazione del 112/118" });
    }
    if (f.levelOverride && !f.overrideReason) {
      ctx.addIssue({ code: 'custom', path: ['overrideReason'], message: 'indicare il motivo della modifica del livello' });
    }
    if (f.questions.childrenPresent && f.questions.childrenCount < 1) {
      ctx.addIssue({ code: 'custom', path: ['questions', 'childrenCount'], message: 'indicare quanti minori sono presenti' });
    }
  })
  .describe('Valutazione del rischio');

const interventionForm = z
  .object({
    resourcesActivated: z
      .array(
        z.object({
          resourceId: text(64).optional().describe('Risorsa della rete'),
          type: z.enum(RESOURCE_TYPES).describe('Tipo di risorsa'),
          activatedAt: isoInstant.describe('Ora di attivazione'),
        }),
      )
      .max(20)
      .default([])
      .describe('Risorse attivate'),
    visits: z
      .array(z.object({ at: isoInstant.describe('Ora'), place: requiredText(200).describe('Luogo') }))
      .max(20)
      .default([])
      .describe('Uscite e visite'),
    refusals: z
      .array(
        z.object({
          offered: requiredText(200).describe('Aiuto offerto'),
          at: isoInstant.describe('Ora'),
          reason: text(1000).optional().describe('Motivo del rifiuto'),
        }),
      )
      .max(20)
      .default([])
      .describe('Rifiuti di aiuto'),
    outcome: z
      .enum(['placed', 'assisted_on_site', 'refused_help', 'hospitalised', 'not_found', 'other'])
      .describe('Esito'),
    welfareRecheckNeeded: z.boolean().default(false).describe('Serve un nuovo controllo di benessere'),
    notes: text(4000).optional().describe('Note'),
  })
  .superRefine((f, ctx) => {
    if (f.outcome === 'refused_help' && f.refusals.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['refusals'], message: 'registrare il rifiuto di aiuto' });
    }
    if (f.outcome === 'placed' && f.resourcesActivated.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['resourcesActivated'], message: 'indicare la risorsa attivata per il collocamento' });
    }
  })
  .describe('Intervento');

const welfareRecheckForm = z
  .object({
    checkedAt: isoInstant.describe('Ora del controllo'),
    personFound: z.boolean().describe('Persona trovata'),
    acceptedHelp: z.boolean().describe('Ha accettato aiuto'),
    condition: z.enum(['stable', 'worsened', 'critical']).describe('Condizioni'),
    anotherRecheckNeeded: z.boolean().describe('Serve un altro controllo'),
    notes: text(2000).optional().describe('Note'),
  })
  .describe('Controllo di benessere');

const avConsentForm = z
  .object({
    consent: z.boolean().describe('La donna acconsente al percorso antiviolenza'),
    recordedAt: isoInstant.describe('Ora di raccolta del consenso'),
    childrenPresent: z.boolean().describe('Figli presenti'),
    childrenCount: z.number().int().min(0).max(20).default(0).describe('Numero di figli presenti'),
    complaintFiled: z.boolean().default(false).describe('Denuncia/querela presentata (Codice Rosso)'),
    complaintFiledAt: isoInstant.optional().describe('Data della denuncia'),
    info1522Given: z.boolean().describe('Informata del numero 1522'),
    cavContactsGiven: z.boolean().describe('Consegnati i contatti del CAV'),
    refusalReason: text(1000).optional().describe('Motivo del rifiuto'),
  })
  .superRefine((f, ctx) => {
    if (!f.consent && !f.info1522Given) {
      ctx.addIssue({ code: 'custom', path: ['info1522Given'], message: 'senza consenso va dato il numero 1522' });
    }
    if (!f.consent && !f.cavContactsGiven) {
      ctx.addIssue({ code: 'custom', path: ['cavContactsGiven'], message: 'senza consenso vanno dati i contatti del CAV' });
    }
    if (f.complaintFiled && !f.complaintFiledAt) {
      ctx.addIssue({ code: 'custom', path: ['complaintFiledAt'], message: 'indicare la data della denuncia' });
    }
    if (f.childrenPresent && f.childrenCount < 1) {
      ctx.addIssue({ code: 'custom', path: ['childrenCount'], message: 'indicare quanti figli sono presenti' });
    }
  })
  .describe('Consenso al percorso antiviolenza');

const cavContactForm = z
  .object({
    cavName: requiredText(200).describe('Centro antiviolenza'),
    operatorName: requiredText(200).describe('Operatrice reperibile'),
    contactedAt: isoInstant.describe('Ora del contatto'),
    outcome: z.enum(['taken_in_charge', 'callback_scheduled', 'unreachable']).describe('Esito del contatto'),
    notes: text(2000).optional().describe('Note'),
  })
  .describe('Contatto con il CAV reperibile');

const protectedPlacementForm = z
  .object({
    resourceId: text(64).optional().describe('Struttura protetta'),
    protectedAddress: requiredText(300).describe('Indirizzo protetto (visibile solo ai ruoli autorizzati)'),
    placedAt: isoInstant.describe('Ora del collocamento'),
    childrenPlaced: z.number().int().min(0).max(20).default(0).describe('Figli collocati con la madre'),
  })
  .describe('Collocamento protetto');

const msnaPlacementForm = z
  .object({
    resourceId: text(64).optional().describe('Struttura di prima accoglienza'),
    facilityName: requiredText(200).describe('Nome della struttura'),
    placedAt: isoInstant.describe('Ora del collocamento'),
    declaredAge: z.number().int().min(0).max(17).describe('Età dichiarata'),
    identificationStarted: z.boolean().default(false).describe('Identificazione avviata'),
  })
  .describe('Collocamento in prima accoglienza (MSNA)');

export const MSNA_NOTICE_RECIPIENTS = ['procura_minorenni', 'tribunale_minorenni', 'ministero_lavoro'] as const;
const msnaNoticesForm = z
  .object({
    notices: z
      .array(
        z.object({
          recipient: z.enum(MSNA_NOTICE_RECIPIENTS).describe('Destinatario'),
          sentAt: isoInstant.describe('Ora di invio'),
          channel: z.enum(['pec', 'email', 'fax', 'phone']).describe('Canale'),
          protocolNumber: text(100).optional().describe('Numero di protocollo'),
        }),
      )
      .min(1)
      .max(10)
      .describe('Segnalazioni inviate'),
  })
  .superRefine((f, ctx) => {
    for (const recipient of MSNA_NOTICE_RECIPIENTS) {
      if (!f.notices.some((n) => n.recipient === recipient)) {
        ctx.addIssue({ code: 'custom', path: ['notices'], message: `manca la segnalazione a ${recipient}` });
      }
    }
  })
  .describe('Segnalazioni per il MSNA (Procura e Tribunale per i minorenni, Ministero del Lavoro)');

const art403ReportForm = z
  .object({
    placedAt: isoInstant.describe('Ora del collocamento ex art. 403'),
    sentAt: isoInstant.describe('Ora di invio della segnalazione alla Procura per i minorenni'),
    channel: z.enum(['pec', 'email', 'fax']).describe('Canale'),
    protocolNumber: text(100).optional().describe('Numero di protocollo'),
  })
  .describe('Segnalazione ex art. 403 c.c. alla Procura per i minorenni');

const handoverAckForm = z
  .object({
    takenOn: z.boolean().describe('Il servizio sociale prende in carico il caso'),
    caseWorkerName: requiredText(200).describe('Assistente sociale di riferimento'),
    reason: text(2000).optional().describe('Motivo (se non preso in carico)'),
  })
  .superRefine((f, ctx) => {
    if (!f.takenOn && !f.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'indicare il motivo' });
  })
  .describe('Presa visione del passaggio di consegne');

const externalHandoverForm = z
  .object({
    recipientService: requiredText(200).describe('Servizio destinatario'),
    sentAt: isoInstant.describe('Ora di invio'),
    channel: z.enum(['pec', 'email', 'phone']).describe('Canale'),
    notes: text(2000).optional().describe('Note'),
  })
  .describe('Passaggio di consegne a un Comune fuori Ambito');

const scopeReviewForm = z
  .object({
    decision: z.enum(['override', 'confirm_redirect']).describe('Decisione'),
    reason: requiredText(1000).describe('Motivazione'),
  })
  .describe('Verifica di competenza');

const escalationForm = z
  .object({
    action: z.enum(['reassigned', 'contacted_operator', 'handled', 'no_action_needed']).describe('Azione svolta'),
    notes: requiredText(2000).describe('Note'),
  })
  .describe('Escalation al coordinatore');

export const TASK_FORMS = {
  scope_review: scopeReviewForm,
  take_charge: takeChargeForm,
  risk_check: riskCheckForm,
  intervention: interventionForm,
  welfare_recheck: welfareRecheckForm,
  av_consent: avConsentForm,
  av_cav_contact: cavContactForm,
  av_protected_placement: protectedPlacementForm,
  msna_placement: msnaPlacementForm,
  msna_notices: msnaNoticesForm,
  art403_report: art403ReportForm,
  handover_ack: handoverAckForm,
  external_handover: externalHandoverForm,
  escalation: escalationForm,
} as const;

export type TaskType = keyof typeof TASK_FORMS;
export const TASK_TYPES = Object.keys(TASK_FORMS) as TaskType[];
export type TaskForm<T extends TaskType> = z.infer<(typeof TASK_FORMS)[T]>;
/** Form data as submitted (validated against the task type's schema). */
export type FormData = Record<string, unknown>;

/** Who may work on each task type. */
export const TASK_CANDIDATE_ROLE: Record<TaskType, Role> = {
  scope_review: 'coordinator',
  take_charge: 'emergency_operator',
  risk_check: 'emergency_operator',
  intervention: 'emergency_operator',
  welfare_recheck: 'emergency_operator',
  av_consent: 'emergency_operator',
  av_cav_contact: 'emergency_operator',
  av_protected_placement: 'emergency_operator',
  msna_placement: 'emergency_operator',
  msna_notices: 'emergency_operator',
  art403_report: 'emergency_operator',
  handover_ack: 'social_worker',
  external_handover: 'coordinator',
  escalation: 'coordinator',
};

export const TASK_LABELS: Record<TaskType, string> = {
  scope_review: 'Verifica di competenza',
  take_charge: 'Presa in carico',
  risk_check: 'Valutazione del rischio',
  intervention: 'Intervento',
  welfare_recheck: 'Controllo di benessere',
  av_consent: 'Consenso al percorso antiviolenza',
  av_cav_contact: 'Contatto con il CAV',
  av_protected_placement: 'Collocamento protetto',
  msna_placement: 'Prima accoglienza MSNA',
  msna_notices: 'Segnalazioni MSNA',
  art403_report: 'Segnalazione art. 403 c.c.',
  handover_ack: 'Passaggio di consegne al Comune',
  external_handover: 'Passaggio di consegne fuori Ambito',
  escalation: 'Escalation',
};

export interface FormIssue {
  path: string;
  message: string;
}

export type FormValidation<T extends TaskType> =
  | { ok: true; data: TaskForm<T> }
  | { ok: false; issues: FormIssue[] };

/**
 * Validates a form against its task type and, when the case is known, against the questions its
 * protocol revision requires (a risk check of a revision-2 case must answer `assistedViolence`;
 * open risk checks of older cases stay valid without it).
 */
export function validateTaskForm<T extends TaskType>(
  type: T,
  form: unknown,
  context: { protocolRevision?: number } = {},
): FormValidation<T> {
  const result = TASK_FORMS[type].safeParse(form);
  if (!result.success) {
    return {
      ok: false,
      issues: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    };
  }
  if (type === 'risk_check' && asksAssistedViolence(context.protocolRevision)) {
    const data = result.data as TaskForm<'risk_check'>;
    if (data.questions.assistedViolence === undefined) {
      return { ok: false, issues: [{ path: 'questions.assistedViolence', message: 'campo obbligatorio' }] };
    }
  }
  return { ok: true, data: result.data as TaskForm<T> };
}
