import type { OutcomeCode } from '../../definitions';
import { defineStep } from '../step';

/** 8. Closure: how a case ends (taken on by the Comune, handed over outside, resolved, redirected, cancelled). */
export const OUTCOME_LABELS: Record<OutcomeCode, string> = {
  taken_on_by_comune: 'Preso in carico dal Comune',
  handed_over_external: 'Passato a un Comune fuori Ambito',
  resolved: 'Risolto',
  redirected: 'Reindirizzato (fuori competenza)',
  cancelled: 'Annullato dal coordinatore',
};

export const closure = defineStep({
  labels: {
    steps: { closure: 'Chiusura' },
    tasks: {},
    timeline: { case_closed: 'Caso chiuso' },
  },
  tasks: {},
  settings: {},
  stallAllowanceMinutes: { closure: 10 },
});
