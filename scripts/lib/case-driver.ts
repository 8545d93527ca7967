import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { receiveReport } from '../../src/cases/intake';
import { intakeSchema, type IntakeInput } from '../../src/cases/intake-schema';
import type { PrismaClient } from '../../src/generated/prisma/client';
import {
  type Actor,
  type CaseView,
  caseWorkflowId,
  claimTaskUpdate,
  completeTaskUpdate,
  getCaseQuery,
  moveHandoverUpdate,
} from '../../src/workflows/definitions';
import type { HumanTask, ProtocolSettings } from '../../src/workflows/model';

/**
 * Drives real cases on a real Temporal server in real time, as the console would: used by the
 * history recorder and the versioning tests. Synthetic people only.
 */

export const INTAKE: Actor = { userId: 'u-intake', role: 'intake_operator' };
export const OPERATOR: Actor = { userId: 'u-op-1', role: 'emergency_operator' };
export const COORDINATOR: Actor = { userId: 'u-coord', role: 'coordinator' };
export const socialWorker = (comuneCode: string): Actor => ({ userId: `u-sw-${comuneCode}`, role: 'social_worker', comuneCode });

export const LAINATE = '015116';
export const RHO = '015182';
export const MILANO = '015146';

/** Sunday 02:00 in Rome: outside office hours, so a report at that time is in scope. */
export const SUNDAY_NIGHT = '2026-11-22T01:00:00.000Z';

export interface DriverDeps {
  client: Client;
  prisma: PrismaClient;
  taskQueue: string;
}

export function report(overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    reportingForce: 'carabinieri',
    officerName: 'Brig. Esempio',
    callbackNumber: '+39 02 0000000',
    reportNumber: `REC-${randomBytes(6).toString('hex')}`,
    reportedAt: SUNDAY_NIGHT,
    eventComuneCode: LAINATE,
    eventAddress: 'Via di Prova 1',
    categories: ['homeless'],
    people: [{ role: 'subject', firstName: 'Persona', lastName: 'Di Prova', birthYear: 1960, isMinor: false }],
    immediateDangers: ['cold_exposure'],
    narrative: 'Caso sintetico per la registrazione delle storie.',
    ...overrides,
  };
}

const isActive = (t: HumanTask) => t.status === 'open' || t.status === 'claimed';

export class CaseDriver {
  constructor(
    readonly deps: DriverDeps,
    readonly caseId: string,
  ) {}

  static async open(deps: DriverDeps, overrides: Partial<IntakeInput> = {}, protocol: Partial<ProtocolSettings> = {}): Promise<CaseDriver> {
    const data = intakeSchema.parse(report(overrides));
    const r = await receiveReport(deps, data, INTAKE, { protocolOverrides: protocol });
    return new CaseDriver(deps, r.caseId);
  }

  get workflowId(): string {
    return caseWorkflowId(this.caseId);
  }

  handle() {
    return this.deps.client.workflow.getHandle(this.workflowId);
  }

  view(): Promise<CaseView> {
    return this.handle().query(getCaseQuery);
  }

  /** Polls the case until `pred` holds (timers on a real server take real time). */
  async waitFor(pred: (v: CaseView) => boolean, what: string, timeoutMs = 240_000): Promise<CaseView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await this.view();
      if (pred(v)) return v;
      if (Date.now() > deadline) throw new Error(`${this.caseId}: timed out waiting for ${what} (status ${v.status}, step ${v.step})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async task(type: string, timeoutMs?: number): Promise<HumanTask> {
    const v = await this.waitFor((x) => x.tasks.some((t) => t.type === type && isActive(t)), `an open ${type} task`, timeoutMs);
    return [...v.tasks].reverse().find((t) => t.type === type && isActive(t)) as HumanTask;
  }

  /** Claims (if needed) and completes the open task of this type. */
  async run(type: string, actor: Actor, form: Record<string, unknown>, timeoutMs?: number): Promise<CaseView> {
    const t = await this.task(type, timeoutMs);
    if (t.status === 'open') await this.handle().executeUpdate(claimTaskUpdate, { args: [{ taskId: t.id, actor }] });
    return this.handle().executeUpdate(completeTaskUpdate, { args: [{ taskId: t.id, actor, form }] });
  }

  /** Moves the handover timer to now, as a coordinator does when the social worker is on call. */
  async handoverNow(): Promise<CaseView> {
    await this.waitFor((v) => v.status === 'awaiting_handover' && v.handover !== undefined, 'awaiting handover');
    return this.handle().executeUpdate(moveHandoverUpdate, {
      args: [{ actor: COORDINATOR, at: new Date().toISOString(), reason: 'Assistente sociale reperibile' }],
    });
  }

  /** Moves the handover to now and lets the competent Comune's social worker take the case on. */
  async handOver(takenOn = true): Promise<CaseView> {
    const v = await this.handoverNow();
    await this.run('handover_ack', socialWorker(v.handover?.comuneCode ?? ''), takenOn ? forms.handoverAck : forms.handoverDeclined);
    return this.result();
  }

  result(): Promise<CaseView> {
    return this.handle().result() as Promise<CaseView>;
  }
}

const now = () => new Date().toISOString();

/** Forms as the console sends them. `assistedViolence` is the question added by protocol revision 2. */
export const forms = {
  takeCharge: { etaMinutes: 15 },
  riskCheck(questions: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    return {
      questions: {
        immediateDangerToLife: false,
        injuries: false,
        healthDanger: false,
        violenceSuspected: false,
        perpetratorNearby: false,
        childrenPresent: false,
        childrenCount: 0,
        unaccompaniedMinor: false,
        art403Placement: false,
        withoutShelter: false,
        freezingConditions: false,
        withoutCaregiver: false,
        selfHarmRisk: false,
        assistedViolence: false,
        ...questions,
      },
      ...extra,
    };
  },
  // No directory resource: each one activated holds a unit (src/resources/holds.ts), and a load
  // driver with many open cases would run the demo dormitory out of beds.
  interventionPlaced: () => ({
    resourcesActivated: [{ type: 'emergency_bed', activatedAt: now() }],
    visits: [{ at: now(), place: 'Stazione' }],
    outcome: 'placed',
  }),
  interventionRefused: () => ({
    refusals: [{ offered: 'Posto letto in dormitorio', at: now(), reason: 'Non vuole lasciare il posto' }],
    outcome: 'refused_help',
  }),
  interventionOnSite: () => ({ outcome: 'assisted_on_site' }),
  welfareRecheck: (anotherRecheckNeeded: boolean) => ({
    checkedAt: now(),
    personFound: true,
    acceptedHelp: !anotherRecheckNeeded,
    condition: 'stable',
    anotherRecheckNeeded,
  }),
  avConsent: (consent: boolean, children = 0, complaint = false) => ({
    consent,
    recordedAt: now(),
    childrenPresent: children > 0,
    childrenCount: children,
    complaintFiled: complaint,
    ...(complaint ? { complaintFiledAt: now() } : {}),
    info1522Given: true,
    cavContactsGiven: true,
    ...(consent ? {} : { refusalReason: 'Preferisce rientrare da una parente' }),
  }),
  cavContact: () => ({ cavName: 'CAV di prova', operatorName: 'Operatrice reperibile', contactedAt: now(), outcome: 'taken_in_charge' }),
  protectedPlacement: (children = 0) => ({ protectedAddress: 'Indirizzo protetto di prova', placedAt: now(), childrenPlaced: children }),
  msnaPlacement: () => ({ facilityName: 'Prima accoglienza di prova', placedAt: now(), declaredAge: 16 }),
  msnaNotices: () => ({
    notices: (['procura_minorenni', 'tribunale_minorenni', 'ministero_lavoro'] as const).map((recipient) => ({ recipient, sentAt: now(), channel: 'pec' })),
  }),
  art403Report: () => ({ placedAt: now(), sentAt: now(), channel: 'pec' }),
  escalation: { action: 'contacted_operator', notes: 'Operatore sollecitato' },
  externalHandover: () => ({ recipientService: 'Servizio sociale fuori Ambito', sentAt: now(), channel: 'pec' }),
  handoverAck: { takenOn: true, caseWorkerName: 'Assistente sociale di prova' },
  handoverDeclined: { takenOn: false, caseWorkerName: 'Assistente sociale di prova', reason: 'Già seguito da altro servizio' },
};
