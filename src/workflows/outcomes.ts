import type { RiskLevel } from './definitions';
import type { RiskQuestions, TaskForm, TaskType } from './forms';
import type { HumanTask, RiskAssessment } from './model';
import { asksAssistedViolence } from './revisions';

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

export function assessRisk(form: TaskForm<'risk_check'>, minorsAtIntake: boolean, protocolRevision?: number): RiskAssessment {
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

type Outcome = NonNullable<HumanTask['outcome']>;

/**
 * The non-identifying part of a completed form that the protocol needs to decide what comes next.
 * Everything else (names, addresses, free text) goes to PostgreSQL only.
 */
export function extractOutcome(type: TaskType, data: unknown, minorsAtIntake: boolean, protocolRevision?: number): Outcome {
  switch (type) {
    case 'scope_review': {
      const f = data as TaskForm<'scope_review'>;
      return { decision: f.decision, reason: f.reason };
    }
    case 'risk_check': {
      const r = assessRisk(data as TaskForm<'risk_check'>, minorsAtIntake, protocolRevision);
      return { ...r };
    }
    case 'intervention': {
      const f = data as TaskForm<'intervention'>;
      return {
        outcome: f.outcome,
        welfareRecheckNeeded: f.welfareRecheckNeeded || f.outcome === 'refused_help',
        resourcesActivated: f.resourcesActivated.length,
        refusals: f.refusals.length,
      };
    }
    case 'welfare_recheck': {
      const f = data as TaskForm<'welfare_recheck'>;
      return { personFound: f.personFound, acceptedHelp: f.acceptedHelp, condition: f.condition, anotherRecheckNeeded: f.anotherRecheckNeeded };
    }
    case 'av_consent': {
      const f = data as TaskForm<'av_consent'>;
      return {
        consent: f.consent,
        childrenPresent: f.childrenPresent,
        childrenCount: f.childrenCount,
        complaintFiledAt: f.complaintFiled ? (f.complaintFiledAt ?? null) : null,
        info1522Given: f.info1522Given,
        cavContactsGiven: f.cavContactsGiven,
      };
    }
    case 'av_cav_contact': {
      const f = data as TaskForm<'av_cav_contact'>;
      return { outcome: f.outcome, contactedAt: f.contactedAt };
    }
    case 'av_protected_placement': {
      const f = data as TaskForm<'av_protected_placement'>;
      return { placedAt: f.placedAt, childrenPlaced: f.childrenPlaced };
    }
    case 'msna_placement': {
      const f = data as TaskForm<'msna_placement'>;
      return { placedAt: f.placedAt, declaredAge: f.declaredAge };
    }
    case 'msna_notices': {
      const f = data as TaskForm<'msna_notices'>;
      const out: Outcome = {};
      for (const n of f.notices) out[`${n.recipient}SentAt`] = n.sentAt;
      return out;
    }
    case 'art403_report': {
      const f = data as TaskForm<'art403_report'>;
      return { placedAt: f.placedAt, sentAt: f.sentAt };
    }
    case 'handover_ack': {
      const f = data as TaskForm<'handover_ack'>;
      return { takenOn: f.takenOn, reason: f.reason ?? null };
    }
    case 'external_handover': {
      const f = data as TaskForm<'external_handover'>;
      return { sentAt: f.sentAt, channel: f.channel };
    }
    case 'take_charge': {
      const f = data as TaskForm<'take_charge'>;
      return { etaMinutes: f.etaMinutes };
    }
    case 'escalation': {
      const f = data as TaskForm<'escalation'>;
      return { action: f.action };
    }
  }
}
