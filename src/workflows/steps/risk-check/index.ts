import { z } from 'zod';
import type { RiskLevel } from '../../definitions';
import type { CaseState, RiskAssessment } from '../../model';
import { asksAssistedViolence } from '../../revisions';
import { isoInstant, text } from '../fields';
import { defineStep, task } from '../step';

/**
 * 3. Risk check: structured questions give the risk level (the worst condition wins) and the
 * flags that open the anti-violence and minor-protection branches; a health danger needs the
 * 112/118 activation recorded.
 */

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
  /** Protocol revision 2: required for cases on that revision (see `check`), ignored by older ones. */
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
export type RiskCheckForm = z.infer<typeof riskCheckForm>;

/**
 * Risk level from the structured questions: the worst condition that applies wins. The answers a
 * case's protocol revision does not ask about are ignored.
 */
export function riskLevelFor(q: RiskQuestions, protocolRevision?: number): RiskLevel {
  const assistedViolence = asksAssistedViolence(protocolRevision) && q.assistedViolence === true;
  if (q.immediateDangerToLife || q.selfHarmRisk || (q.violenceSuspected && q.perpetratorNearby)) return 'critical';
  if (
    q.injuries ||
    q.healthDanger ||
    q.violenceSuspected ||
    assistedViolence ||
    q.unaccompaniedMinor ||
    q.art403Placement ||
    (q.withoutShelter && q.freezingConditions)
  ) {
    return 'high';
  }
  if (q.withoutShelter || q.withoutCaregiver || q.childrenPresent || q.freezingConditions) return 'medium';
  return 'low';
}

export function assessRisk(form: RiskCheckForm, minorsAtIntake: boolean, protocolRevision?: number): RiskAssessment {
  const q = form.questions;
  const risk: RiskAssessment = {
    level: form.levelOverride ?? riskLevelFor(q, protocolRevision),
    violence: q.violenceSuspected,
    minors: minorsAtIntake || q.childrenPresent || q.unaccompaniedMinor || q.art403Placement,
    health: q.healthDanger || q.injuries,
    unaccompaniedMinor: q.unaccompaniedMinor,
    art403: q.art403Placement,
    emergencyServicesActivated: form.emergencyServices.length > 0,
  };
  if (asksAssistedViolence(protocolRevision)) {
    // Revision 2: children who witness violence are minors at risk.
    risk.assistedViolence = q.assistedViolence === true;
    risk.minors ||= risk.assistedViolence;
  }
  return risk;
}

export const FLAGS = ['violence', 'assisted_violence', 'minors', 'health', 'msna', 'art403'] as const;
export type CaseFlag = (typeof FLAGS)[number];

/** The case's flags in the read model (filters, badges). */
export function riskFlags(s: CaseState): CaseFlag[] {
  if (!s.risk) return s.input.minorsInvolved ? ['minors'] : [];
  const flags: CaseFlag[] = [];
  if (s.risk.violence) flags.push('violence');
  if (s.risk.assistedViolence) flags.push('assisted_violence');
  if (s.risk.minors) flags.push('minors');
  if (s.risk.health) flags.push('health');
  if (s.risk.unaccompaniedMinor) flags.push('msna');
  if (s.risk.art403) flags.push('art403');
  return flags;
}

export const riskCheck = defineStep({
  labels: {
    steps: { risk_check: 'Valutazione del rischio' },
    tasks: { risk_check: 'Valutazione del rischio' },
    timeline: {
      risk_assessed: 'Rischio valutato',
      health_emergency: 'Emergenza sanitaria (112/118)',
    },
    flags: {
      violence: 'Violenza',
      assisted_violence: 'Violenza assistita',
      minors: 'Minori',
      health: 'Salute',
      msna: 'MSNA',
      art403: 'Art. 403 c.c.',
    } satisfies Record<CaseFlag, string>,
    formEnums: { low: 'Basso', medium: 'Medio', high: 'Alto', critical: 'Critico' } satisfies Record<RiskLevel, string>,
  },
  tasks: {
    risk_check: task({
      form: riskCheckForm,
      candidateRole: 'emergency_operator',
      outcome: (f, { minorsAtIntake, protocolRevision }) => ({ ...assessRisk(f, minorsAtIntake, protocolRevision) }),
      // A risk check of a revision-2 case must answer `assistedViolence`; open risk checks of older cases stay valid without it.
      check: (f, { protocolRevision }) =>
        asksAssistedViolence(protocolRevision) && f.questions.assistedViolence === undefined
          ? [{ path: 'questions.assistedViolence', message: 'campo obbligatorio' }]
          : [],
    }),
  },
  settings: { riskCheckDueMinutes: 60 },
  stallAllowanceMinutes: { risk_check: 120 },
});
