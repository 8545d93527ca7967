import { z } from 'zod';
import { isoInstant, requiredText, text } from '../fields';
import { defineStep, task } from '../step';

/**
 * 6. Minor protection: an unaccompanied foreign minor (MSNA) is placed in first reception and
 * notified to the juvenile court, prosecutor and ministry (identification and first-reception
 * clocks handed over); an art. 403 c.c. placement is reported to the prosecutor within 24 h.
 */

export const MSNA_NOTICE_RECIPIENTS = ['procura_minorenni', 'tribunale_minorenni', 'ministero_lavoro'] as const;

const msnaPlacementForm = z
  .object({
    resourceId: text(64).optional().describe('Struttura di prima accoglienza'),
    facilityName: requiredText(200).describe('Nome della struttura'),
    placedAt: isoInstant.describe('Ora del collocamento'),
    declaredAge: z.number().int().min(0).max(17).describe('Età dichiarata'),
    identificationStarted: z.boolean().default(false).describe('Identificazione avviata'),
  })
  .describe('Collocamento in prima accoglienza (MSNA)');

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

export const minorProtection = defineStep({
  labels: {
    steps: { minor_protection: 'Tutela minori' },
    tasks: {
      msna_placement: 'Prima accoglienza MSNA',
      msna_notices: 'Segnalazioni MSNA',
      art403_report: 'Segnalazione art. 403 c.c.',
    },
    timeline: {},
    formEnums: {
      procura_minorenni: 'Procura per i minorenni',
      tribunale_minorenni: 'Tribunale per i minorenni',
      ministero_lavoro: 'Ministero del Lavoro',
    },
  },
  tasks: {
    msna_placement: task({
      form: msnaPlacementForm,
      candidateRole: 'emergency_operator',
      outcome: (f) => ({ placedAt: f.placedAt, declaredAge: f.declaredAge }),
    }),
    msna_notices: task({
      form: msnaNoticesForm,
      candidateRole: 'emergency_operator',
      outcome: (f) => {
        const out: Record<string, string> = {};
        for (const n of f.notices) out[`${n.recipient}SentAt`] = n.sentAt;
        return out;
      },
    }),
    art403_report: task({
      form: art403ReportForm,
      candidateRole: 'emergency_operator',
      outcome: (f) => ({ placedAt: f.placedAt, sentAt: f.sentAt }),
    }),
  },
  settings: {
    msnaPlacementDueMinutes: 180,
    msnaNoticesDueMinutes: 1440,
    msnaIdentificationDays: 10,
    msnaFirstReceptionMaxDays: 30,
    art403ReportDueMinutes: 1440,
    art403ReminderMinutes: 1080,
  },
  stallAllowanceMinutes: { minor_protection: 1440 },
});
