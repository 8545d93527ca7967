import { z } from 'zod';
import { requiredText } from '../fields';
import { defineStep, task } from '../step';

/**
 * Escalations, in any step: a task late by its rule (unclaimed, not completed) or a manual
 * escalation opens a task for the coordinator. Not a step of its own: it owns no `Step` value.
 */
export const escalation = defineStep({
  labels: {
    steps: {},
    tasks: { escalation: 'Escalation' },
    timeline: {
      task_escalated: 'Attività segnalata al coordinatore',
      task_reminder: 'Sollecito',
      case_escalated: 'Caso segnalato al coordinatore',
    },
    formEnums: {
      reassigned: 'Riassegnata',
      contacted_operator: 'Contattato l’operatore',
      handled: 'Gestita',
      no_action_needed: 'Nessuna azione necessaria',
    },
  },
  tasks: {
    escalation: task({
      form: z
        .object({
          action: z.enum(['reassigned', 'contacted_operator', 'handled', 'no_action_needed']).describe('Azione svolta'),
          notes: requiredText(2000).describe('Note'),
        })
        .describe('Escalation al coordinatore'),
      candidateRole: 'coordinator',
      outcome: (f) => ({ action: f.action }),
    }),
  },
  settings: { escalationTaskDueMinutes: 30 },
  stallAllowanceMinutes: {},
});
