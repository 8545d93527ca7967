import type { CaseState } from '../../model';
import { DAY, recordDecision, enterStep, leaveStep } from '../../state';
import { addReminder, finished, ownerTask } from '../walk';

/** Consent first; with it, CAV contact and protected placement in parallel; without it, the refusal is recorded. */
export async function antiViolence(s: CaseState): Promise<void> {
  enterStep(s, 'anti_violence');
  const p = s.input.protocol;
  const consent = ownerTask(s, 'av_consent', 'av_consent', p.avConsentDueMinutes);
  await finished(consent);
  const o = consent.outcome ?? {};
  if (o.childrenPresent === true && s.risk && !s.risk.minors) {
    s.risk.minors = true;
    recordDecision(s, 'system', 'minors_flagged', { source: 'anti_violence', children: o.childrenCount ?? null });
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
    recordDecision(s, 'system', 'av_consent_refused', { info1522Given: o.info1522Given ?? null, cavContactsGiven: o.cavContactsGiven ?? null });
  }
  leaveStep(s, 'anti_violence');
}
