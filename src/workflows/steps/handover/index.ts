import { z } from 'zod';
import { isoInstant, requiredText, text } from '../fields';
import { defineStep, task } from '../step';

/**
 * 7. Handover to the competent Comune's social worker at the next office opening (a coordinator
 * may move it), or, for a Comune outside the Ambito, an external handover by the coordinator.
 */

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

export const handover = defineStep({
  labels: {
    steps: { handover: 'Passaggio di consegne' },
    tasks: {
      handover_ack: 'Passaggio di consegne al Comune',
      external_handover: 'Passaggio di consegne fuori Ambito',
    },
    timeline: {
      handover_scheduled: 'Passaggio di consegne programmato',
      handover_moved: 'Passaggio di consegne spostato',
      handover_recomputed: "Passaggio di consegne ricalcolato (calendario dell'ufficio)",
    },
  },
  tasks: {
    handover_ack: task({
      form: handoverAckForm,
      candidateRole: 'social_worker',
      outcome: (f) => ({ takenOn: f.takenOn, reason: f.reason ?? null }),
    }),
    external_handover: task({
      form: externalHandoverForm,
      candidateRole: 'coordinator',
      outcome: (f) => ({ sentAt: f.sentAt, channel: f.channel }),
    }),
  },
  settings: { handoverAckMinutes: 120, handoverEscalationMinutes: 120, externalHandoverDueMinutes: 240 },
  stallAllowanceMinutes: { handover: 480 },
});
