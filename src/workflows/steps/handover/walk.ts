import type { CaseState } from '../../model';
import { recordDecision, enterStep, ensureTask, nowIso, markChanged } from '../../state';
import { closeCase } from '../closure/close';
import { acts, finished, once, waitUntil } from '../walk';

/** Handover target and summary, then the external handover or the durable wait for the office opening and the ack. */
export async function handover(s: CaseState): Promise<void> {
  enterStep(s, 'handover');
  s.status = 'awaiting_handover';
  markChanged(s);
  const p = s.input.protocol;
  if (!s.handover) {
    const target = await acts.computeHandover({
      caseId: s.input.caseId,
      ambitoId: s.input.ambitoId,
      eventComuneCode: s.input.eventComuneCode,
      residenceComuneCode: s.input.residenceComuneCode,
      notBefore: nowIso(),
    });
    s.handover = { ...target };
    recordDecision(s, 'system', 'handover_scheduled', { ...target });
  }
  const target = s.handover;
  await once(s, 'handover_summary', () =>
    acts.prepareHandoverSummary({
      caseId: s.input.caseId,
      target: { comuneCode: target.comuneCode, external: target.external, openingAt: target.openingAt },
    }),
  );

  if (target.external) {
    const task = ensureTask(s, 'external_handover', 'external_handover', {
      dueMinutes: p.externalHandoverDueMinutes,
      escalation: { trigger: 'not_completed', escalateAfterMinutes: p.externalHandoverDueMinutes },
    });
    await finished(task);
    closeCase(s, 'handed_over_external', `Passaggio di consegne al Comune ${target.comuneCode} (fuori Ambito)`, {
      userId: task.completedById ?? 'system',
      role: 'coordinator',
    });
    return;
  }

  // Durable timer to the office opening; a coordinator may move it and the timer follows.
  for (;;) {
    const at = target.openingAt;
    const moved = await waitUntil(() => target.openingAt !== at, at);
    if (!moved) break;
  }
  s.status = 'handover';
  markChanged(s);
  const ack = ensureTask(s, 'handover_ack', 'handover_ack', {
    comuneCode: target.comuneCode,
    dueMinutes: p.handoverAckMinutes,
    escalation: {
      trigger: 'not_completed',
      remindAfterMinutes: p.handoverAckMinutes,
      escalateAfterMinutes: p.handoverAckMinutes + p.handoverEscalationMinutes,
    },
  });
  await finished(ack);
  const by = { userId: ack.completedById ?? 'system', role: 'social_worker' as const };
  if (ack.outcome?.takenOn === true) {
    closeCase(s, 'taken_on_by_comune', 'Preso in carico dal servizio sociale del Comune', by);
  } else {
    closeCase(s, 'resolved', String(ack.outcome?.reason ?? 'Non necessaria la presa in carico'), by);
  }
}
