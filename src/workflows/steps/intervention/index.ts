import { z } from 'zod';
import { NETWORK_RESOURCE_TYPES } from '../../../domain';
import { isoInstant, requiredText, text } from '../fields';
import { defineStep, task } from '../step';

/**
 * 4. Intervention, with welfare re-checks: after a refusal of help the operator goes back at
 * `welfareRecheckMinutes` intervals, at most `maxWelfareRechecks` times.
 */

/** What the network-resource directory holds (src/domain). */
export { NETWORK_RESOURCE_TYPES };
/** What an intervention can activate: a directory resource, a health service, or something else. */
export const RESOURCE_TYPES = [...NETWORK_RESOURCE_TYPES, 'health_service', 'other'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

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

export const intervention = defineStep({
  labels: {
    steps: { intervention: 'Intervento' },
    tasks: { intervention: 'Intervento', welfare_recheck: 'Controllo di benessere' },
    timeline: { welfare_recheck_scheduled: 'Controllo di benessere programmato' },
    formEnums: {
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
    },
  },
  tasks: {
    intervention: task({
      form: interventionForm,
      candidateRole: 'emergency_operator',
      outcome: (f) => ({
        outcome: f.outcome,
        welfareRecheckNeeded: f.welfareRecheckNeeded || f.outcome === 'refused_help',
        resourcesActivated: f.resourcesActivated.length,
        refusals: f.refusals.length,
      }),
    }),
    welfare_recheck: task({
      form: welfareRecheckForm,
      candidateRole: 'emergency_operator',
      outcome: (f) => ({ personFound: f.personFound, acceptedHelp: f.acceptedHelp, condition: f.condition, anotherRecheckNeeded: f.anotherRecheckNeeded }),
    }),
  },
  settings: { interventionDueMinutes: 240, welfareRecheckMinutes: 120, welfareRecheckDueMinutes: 60, maxWelfareRechecks: 12 },
  stallAllowanceMinutes: { intervention: 480 },
});
