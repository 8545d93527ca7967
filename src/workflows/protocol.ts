import { condition, proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../activities/types';
import type { CaseState, HumanTask, Reminder, RiskAssessment } from './model';
import type { TaskType } from './forms';
import { asksAssistedViolence } from './revisions';
import { addMinutes, closeCase, DAY, decide, enterStep, ensureTask, leaveStep, nowIso, touch } from './state';

const acts = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/**
 * The protocol walk. Every step is resumable from the state alone (tasks are created once by
 * key, one-off actions are marked in `done`, deadlines are absolute), so the walk can be cancelled
 * at any await for continue-as-new and simply run again on the new run.
 */
export async function runProtocol(s: CaseState): Promise<void> {
  if (!(await intakeAndScope(s))) return;
  await takeCharge(s);
  const risk = await riskCheck(s);

  const branches: Array<Promise<void>> = [intervention(s)];
  // `assistedViolence` is only ever set on protocol revision 2 cases (see riskCheck).
  if (risk.violence || risk.assistedViolence === true) branches.push(antiViolence(s));
  if (risk.unaccompaniedMinor || risk.art403) branches.push(minorProtection(s, risk));
  await Promise.all(branches);

  await handover(s);
}

/** A task for the case owner, due in `minutes` and escalated to the coordinator if still open then. */
function ownerTask(s: CaseState, key: string, type: TaskType, minutes: number): HumanTask {
  return ensureTask(s, key, type, {
    assigneeId: s.ownerId,
    dueMinutes: minutes,
    escalation: { trigger: 'not_completed', escalateAfterMinutes: minutes },
  });
}

function finished(task: HumanTask): Promise<void> {
  return condition(() => task.status === 'completed' || task.status === 'cancelled');
}

/** Waits until `pred` holds or the absolute deadline passes; true if `pred` held. */
async function waitUntil(pred: () => boolean, deadlineIso: string): Promise<boolean> {
  const ms = Date.parse(deadlineIso) - Date.now();
  if (ms <= 0) return pred();
  return condition(pred, ms);
}

async function once(s: CaseState, marker: string, action: () => Promise<void>): Promise<void> {
  if (s.done[marker]) return;
  await action();
  s.done[marker] = true;
}

// ---------------------------------------------------------------------------- 1. intake, scope

async function intakeAndScope(s: CaseState): Promise<boolean> {
  const { input } = s;
  if (!s.scope) {
    const scope = await acts.assessScope({
      caseId: input.caseId,
      ambitoId: input.ambitoId,
      eventComuneCode: input.eventComuneCode,
      residenceComuneCode: input.residenceComuneCode,
      reportingForce: input.reportingForce,
      reportedAt: input.reportedAt,
    });
    s.scope = { inScope: scope.inScope, reasons: scope.reasons };
    decide(s, 'system', 'scope_assessed', { inScope: scope.inScope, reasons: scope.reasons });
  }
  leaveStep(s, 'intake');
  if (!s.scope.inScope) {
    s.status = 'scope_review';
    enterStep(s, 'scope_review');
    const review = ensureTask(s, 'scope_review', 'scope_review', { dueMinutes: input.protocol.scopeReviewMinutes });
    const decided = await waitUntil(() => review.status === 'completed', review.dueAt ?? nowIso());
    const override = decided && review.outcome?.decision === 'override';
    if (!override) {
      const reason = decided
        ? String(review.outcome?.reason ?? '')
        : `Fuori competenza PIS: ${s.scope.reasons.join(', ')}`;
      closeCase(s, 'redirected', reason, decided ? { userId: review.completedById ?? 'system', role: 'coordinator' } : 'system');
      return false;
    }
    s.scope.overriddenBy = review.completedById;
    s.scope.overrideReason = String(review.outcome?.reason ?? '');
    leaveStep(s, 'scope_review');
  }
  s.status = 'open';
  touch(s);
  return true;
}

// ---------------------------------------------------------------------------- 2. take charge

async function takeCharge(s: CaseState): Promise<void> {
  enterStep(s, 'take_charge');
  const sla = s.input.protocol.takeChargeSlaMinutes;
  const task = ensureTask(s, 'take_charge', 'take_charge', {
    dueMinutes: sla,
    escalation: { trigger: 'unclaimed', escalateAfterMinutes: sla },
  });
  await finished(task);
  s.ownerId = task.completedById;
  leaveStep(s, 'take_charge');
}

// ---------------------------------------------------------------------------- 3. risk check

async function riskCheck(s: CaseState): Promise<RiskAssessment> {
  enterStep(s, 'risk_check');
  const due = s.input.protocol.riskCheckDueMinutes;
  const task = ownerTask(s, 'risk_check', 'risk_check', due);
  await finished(task);
  if (!s.risk) {
    const o = task.outcome ?? {};
    s.risk = {
      level: (o.level as RiskAssessment['level'] | undefined) ?? 'medium',
      violence: o.violence === true,
      minors: o.minors === true,
      health: o.health === true,
      unaccompaniedMinor: o.unaccompaniedMinor === true,
      art403: o.art403 === true,
      emergencyServicesActivated: o.emergencyServicesActivated === true,
    };
    if (asksAssistedViolence(s.protocolRevision)) s.risk.assistedViolence = o.assistedViolence === true;
    decide(s, 'system', 'risk_assessed', { ...s.risk });
    if (s.risk.health) decide(s, 'system', 'health_emergency', { emergencyServicesActivated: s.risk.emergencyServicesActivated });
  }
  leaveStep(s, 'risk_check');
  return s.risk;
}

// ---------------------------------------------------------------------------- 4. intervention

async function intervention(s: CaseState): Promise<void> {
  enterStep(s, 'intervention');
  const p = s.input.protocol;
  const task = ownerTask(s, 'intervention', 'intervention', p.interventionDueMinutes);
  await finished(task);
  let recheckNeeded = task.outcome?.welfareRecheckNeeded === true;
  let previous = task;
  while (recheckNeeded && s.welfareRechecks < p.maxWelfareRechecks) {
    // Welfare re-check after a refusal: the timer runs from the moment the refusal was recorded.
    const n = s.welfareRechecks + 1;
    const recheckAt = addMinutes(previous.completedAt ?? nowIso(), p.welfareRecheckMinutes);
    if (!s.tasks.some((t) => t.key === `welfare_recheck#${n}`)) {
      if (!s.done[`welfare_recheck_scheduled#${n}`]) {
        s.done[`welfare_recheck_scheduled#${n}`] = true;
        decide(s, 'system', 'welfare_recheck_scheduled', { at: recheckAt, n });
      }
      await waitUntil(() => false, recheckAt);
    }
    const recheck = ownerTask(s, `welfare_recheck#${n}`, 'welfare_recheck', p.welfareRecheckDueMinutes);
    await finished(recheck);
    s.welfareRechecks = n;
    touch(s);
    recheckNeeded = recheck.outcome?.anotherRecheckNeeded === true;
    previous = recheck;
  }
  leaveStep(s, 'intervention');
}

// ---------------------------------------------------------------------------- 5. anti-violence

function addReminder(s: CaseState, reminder: Reminder): void {
  if (s.reminders.some((r) => r.id === reminder.id)) return;
  s.reminders.push(reminder);
  decide(s, 'system', 'reminder_scheduled', { reminderId: reminder.id, kind: reminder.kind, dueAt: reminder.dueAt });
}

async function antiViolence(s: CaseState): Promise<void> {
  enterStep(s, 'anti_violence');
  const p = s.input.protocol;
  const consent = ownerTask(s, 'av_consent', 'av_consent', p.avConsentDueMinutes);
  await finished(consent);
  const o = consent.outcome ?? {};
  if (o.childrenPresent === true && s.risk && !s.risk.minors) {
    s.risk.minors = true;
    decide(s, 'system', 'minors_flagged', { source: 'anti_violence', children: o.childrenCount ?? null });
  }
  if (typeof o.complaintFiledAt === 'string') {
    // Codice Rosso: the prosecutor hears the victim within 3 days. An external milestone, tracked.
    addReminder(s, {
      id: `${s.input.caseId}-codice-rosso`,
      kind: 'codice_rosso_hearing',
      dueAt: new Date(Date.parse(o.complaintFiledAt) + p.codiceRossoHearingDays * DAY).toISOString(),
      handedTo: 'coordinator',
    });
  }
  if (o.consent === true) {
    const cav = ownerTask(s, 'av_cav_contact', 'av_cav_contact', p.cavContactDueMinutes);
    const placement = ownerTask(s, 'av_protected_placement', 'av_protected_placement', p.protectedPlacementDueMinutes);
    await Promise.all([finished(cav), finished(placement)]);
  } else if (!s.done.av_refusal_recorded) {
    s.done.av_refusal_recorded = true;
    decide(s, 'system', 'av_consent_refused', { info1522Given: o.info1522Given ?? null, cavContactsGiven: o.cavContactsGiven ?? null });
  }
  leaveStep(s, 'anti_violence');
}

// ---------------------------------------------------------------------------- 6. minor protection

async function minorProtection(s: CaseState, risk: RiskAssessment): Promise<void> {
  enterStep(s, 'minor_protection');
  const p = s.input.protocol;
  const work: Array<Promise<void>> = [];
  if (risk.unaccompaniedMinor) {
    const placement = ownerTask(s, 'msna_placement', 'msna_placement', p.msnaPlacementDueMinutes);
    const notices = ownerTask(s, 'msna_notices', 'msna_notices', p.msnaNoticesDueMinutes);
    work.push(
      finished(placement).then(() => {
        const placedAt = typeof placement.outcome?.placedAt === 'string' ? placement.outcome.placedAt : nowIso();
        // Follow-up clocks handed to the territorial service with the handover.
        addReminder(s, {
          id: `${s.input.caseId}-msna-identification`,
          kind: 'msna_identification',
          dueAt: new Date(Date.parse(placedAt) + p.msnaIdentificationDays * DAY).toISOString(),
          handedTo: 'territorial_service',
        });
        addReminder(s, {
          id: `${s.input.caseId}-msna-first-reception`,
          kind: 'msna_first_reception_max',
          dueAt: new Date(Date.parse(placedAt) + p.msnaFirstReceptionMaxDays * DAY).toISOString(),
          handedTo: 'territorial_service',
        });
      }),
      finished(notices),
    );
  }
  if (risk.art403) {
    // Art. 403 c.c.: report to the juvenile prosecutor within 24 h; coordinator reminded at 18 h.
    const report = ensureTask(s, 'art403_report', 'art403_report', {
      assigneeId: s.ownerId,
      dueMinutes: p.art403ReportDueMinutes,
      escalation: {
        trigger: 'not_completed',
        remindAfterMinutes: p.art403ReminderMinutes,
        remindRole: 'coordinator',
        escalateAfterMinutes: p.art403ReportDueMinutes,
      },
    });
    work.push(finished(report));
  }
  await Promise.all(work);
  leaveStep(s, 'minor_protection');
}

// ---------------------------------------------------------------------------- 7-8. handover, closure

async function handover(s: CaseState): Promise<void> {
  enterStep(s, 'handover');
  s.status = 'awaiting_handover';
  touch(s);
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
    decide(s, 'system', 'handover_scheduled', { ...target });
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
  touch(s);
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

