import type { CaseState, RiskAssessment } from '../../model';
import { DAY, enterStep, ensureTask, leaveStep, nowIso } from '../../state';
import { addReminder, finished, ownerTask } from '../walk';

/** MSNA placement and notices (follow-up clocks from the placement), and/or the art. 403 report. */
export async function minorProtection(s: CaseState, risk: RiskAssessment): Promise<void> {
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
