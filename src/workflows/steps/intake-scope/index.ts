import { z } from 'zod';
import { requiredText } from '../fields';
import { defineStep, task } from '../step';

/**
 * 1. Intake and scope: the scope check (offices open? reported by law enforcement?) and, when the
 * case looks out of scope, the coordinator's review (override or confirm the redirect).
 */
export const intakeScope = defineStep({
  labels: {
    steps: { intake: 'Ricezione', scope_review: 'Verifica di competenza' },
    tasks: { scope_review: 'Verifica di competenza' },
    timeline: {
      scope_assessed: 'Competenza verificata',
      scope_overridden: 'Competenza forzata dal coordinatore',
    },
    formEnums: { override: 'Il PIS interviene comunque', confirm_redirect: 'Confermare il reindirizzamento' },
  },
  tasks: {
    scope_review: task({
      form: z
        .object({
          decision: z.enum(['override', 'confirm_redirect']).describe('Decisione'),
          reason: requiredText(1000).describe('Motivazione'),
        })
        .describe('Verifica di competenza'),
      candidateRole: 'coordinator',
      outcome: (f) => ({ decision: f.decision, reason: f.reason }),
    }),
  },
  settings: { scopeReviewMinutes: 30 },
  stallAllowanceMinutes: { intake: 10, scope_review: 60 },
});
