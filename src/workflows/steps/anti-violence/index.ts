import { z } from 'zod';
import { isoInstant, requiredText, text } from '../fields';
import { defineStep, task } from '../step';

/**
 * 5. Anti-violence branch: the woman's consent; with it, the on-call CAV and a protected
 * placement; without it, the 1522 number and the CAV contacts. A complaint starts the Codice
 * Rosso hearing clock (3 days).
 */

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

export const antiViolence = defineStep({
  labels: {
    steps: { anti_violence: 'Percorso antiviolenza' },
    tasks: {
      av_consent: 'Consenso al percorso antiviolenza',
      av_cav_contact: 'Contatto con il CAV',
      av_protected_placement: 'Collocamento protetto',
    },
    timeline: {
      minors_flagged: 'Minori segnalati',
      av_consent_refused: 'Consenso al percorso antiviolenza rifiutato',
    },
    formEnums: {
      taken_in_charge: 'Presa in carico dal CAV',
      callback_scheduled: 'Richiamata programmata',
      unreachable: 'Non raggiungibile',
    },
  },
  tasks: {
    av_consent: task({
      form: avConsentForm,
      candidateRole: 'emergency_operator',
      outcome: (f) => ({
        consent: f.consent,
        childrenPresent: f.childrenPresent,
        childrenCount: f.childrenCount,
        complaintFiledAt: f.complaintFiled ? (f.complaintFiledAt ?? null) : null,
        info1522Given: f.info1522Given,
        cavContactsGiven: f.cavContactsGiven,
      }),
    }),
    av_cav_contact: task({
      form: cavContactForm,
      candidateRole: 'emergency_operator',
      outcome: (f) => ({ outcome: f.outcome, contactedAt: f.contactedAt }),
    }),
    av_protected_placement: task({
      form: protectedPlacementForm,
      candidateRole: 'emergency_operator',
      outcome: (f) => ({ placedAt: f.placedAt, childrenPlaced: f.childrenPlaced }),
    }),
  },
  settings: { avConsentDueMinutes: 60, cavContactDueMinutes: 120, protectedPlacementDueMinutes: 240, codiceRossoHearingDays: 3 },
  stallAllowanceMinutes: { anti_violence: 480 },
});
