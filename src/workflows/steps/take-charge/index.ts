import { z } from 'zod';
import { text } from '../fields';
import { defineStep, task } from '../step';

/** 2. Take charge: an emergency operator claims the case within the SLA (escalated if unclaimed). */
export const takeCharge = defineStep({
  labels: {
    steps: { take_charge: 'Presa in carico' },
    tasks: { take_charge: 'Presa in carico' },
    timeline: {},
  },
  tasks: {
    take_charge: task({
      form: z
        .object({
          etaMinutes: z.number().int().min(0).max(720).describe('Tempo stimato di arrivo sul posto (minuti)'),
          notes: text(2000).optional().describe('Note'),
        })
        .describe('Presa in carico'),
      candidateRole: 'emergency_operator',
      outcome: (f) => ({ etaMinutes: f.etaMinutes }),
    }),
  },
  settings: { takeChargeSlaMinutes: 15 },
  stallAllowanceMinutes: { take_charge: 30 },
});
