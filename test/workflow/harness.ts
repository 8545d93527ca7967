import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import type { Notification, Notifier } from '../../src/activities/notifier';
import { receiveReport } from '../../src/cases/intake';
import { intakeSchema, type IntakeInput } from '../../src/cases/intake-schema';
import { type CaseHandle, caseHandle, until } from '../helpers/case-handle';
import { createDataConverter } from '../../src/temporal/data-converter';
import { parseKeyring } from '../../src/temporal/keyring';
import { createCaseWorker } from '../../src/temporal/worker';
import { type Actor, caseWorkflowId } from '../../src/workflows/definitions';
import type { ProtocolSettings } from '../../src/workflows/model';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createTimeSkippingEnv, registerSearchAttributes, uniqueTaskQueue } from '../helpers/temporal';
import { randomBytes } from 'node:crypto';
export { type CaseHandle, expectRejected, until } from '../helpers/case-handle';
import { forms as driverForms } from '../../scripts/lib/case-driver';

/** SMS/e-mail gateways are outside the system: a recording fake stands in for them. */
export class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  send(n: Notification): Promise<void> {
    this.sent.push(n);
    return Promise.resolve();
  }
}

export const INTAKE: Actor = { userId: 'u-intake', role: 'intake_operator' };
export const OPERATOR: Actor = { userId: 'u-op-1', role: 'emergency_operator' };
export const OPERATOR_2: Actor = { userId: 'u-op-2', role: 'emergency_operator' };
export const COORDINATOR: Actor = { userId: 'u-coord', role: 'coordinator' };
export const SW_RHO: Actor = { userId: 'u-sw-rho', role: 'social_worker', comuneCode: '015182' };
export const SW_LAINATE: Actor = { userId: 'u-sw-lainate', role: 'social_worker', comuneCode: '015116' };

export const LAINATE = '015116';
export const RHO = '015182';
export const MILANO = '015146';

export interface Harness {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  notifier: RecordingNotifier;
  taskQueue: string;
  open(report: Partial<IntakeInput>, protocol?: Partial<ProtocolSettings>): Promise<CaseHandle>;
  /** Advances the test server's clock to the given instant (time skipping). */
  sleepUntil(iso: string): Promise<void>;
  now(): Promise<number>;
  nowIso(): Promise<string>;
  teardown(): Promise<void>;
}

export function baseReport(overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    reportingForce: 'carabinieri',
    officerName: 'Brig. Rossi',
    callbackNumber: '+39 02 1234567',
    reportNumber: `R-${randomBytes(6).toString('hex')}`,
    reportedAt: new Date().toISOString(),
    eventComuneCode: LAINATE,
    eventAddress: 'Via Roma 1',
    categories: ['homeless'],
    people: [{ role: 'subject', firstName: 'Mario', lastName: 'Bianchi', birthYear: 1961, isMinor: false }],
    immediateDangers: ['cold_exposure'],
    narrative: 'Uomo senza dimora in stazione, temperatura sotto lo zero.',
    ...overrides,
  };
}

export async function startHarness(name: string): Promise<Harness> {
  const keyring = parseKeyring(`test:${randomBytes(32).toString('base64')}`);
  const dataConverter = createDataConverter(keyring);
  const env = await createTimeSkippingEnv(dataConverter);
  await registerSearchAttributes(env);
  const db = await createTestDatabase(name.replace(/[^a-z0-9]/gi, '_').toLowerCase(), { realClock: false });
  const notifier = new RecordingNotifier();
  const taskQueue = uniqueTaskQueue(name);
  const worker: Worker = await createCaseWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    activities: createActivities({ prisma: db.prisma, notifier }),
    dataConverter,
  });
  const running = worker.run();
  const client = env.client;

  const h: Harness = {
    env,
    db,
    notifier,
    taskQueue,
    now: () => env.currentTimeMs(),
    nowIso: async () => new Date(await env.currentTimeMs()).toISOString(),
    async sleepUntil(iso: string) {
      const ms = Date.parse(iso) - (await env.currentTimeMs());
      if (ms > 0) await env.sleep(ms);
    },
    async open(report, protocol) {
      const data = intakeSchema.parse(baseReport({ reportedAt: new Date(await env.currentTimeMs()).toISOString(), ...report }));
      const r = await receiveReport({ prisma: db.prisma, client, taskQueue }, data, INTAKE, { protocolOverrides: protocol });
      return caseHandle(r.caseId, client.workflow.getHandle(caseWorkflowId(r.caseId)));
    },
    async teardown() {
      worker.shutdown();
      await running;
      await env.teardown();
      await db.drop();
    },
  };
  return h;
}

/** Forms for the common steps. */
export const forms = {
  takeCharge: { etaMinutes: 20 },
  /** A freezing night without shelter unless `over` says otherwise. */
  riskCheck(over: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    return driverForms.riskCheck({ withoutShelter: true, freezingConditions: true, ...over }, extra);
  },
  interventionPlaced(at: string) {
    return {
      resourcesActivated: [{ resourceId: 'rhodense-dormitorio-rho', type: 'emergency_bed', activatedAt: at }],
      visits: [{ at, place: 'Stazione' }],
      outcome: 'placed',
    };
  },
  handoverAck: { takenOn: true, caseWorkerName: 'Dott.ssa Verdi' },
};

/** Next instant at the given Europe/Rome wall time on the given ISO weekday (1 = Monday). */
export function nextRomeWeekday(fromMs: number, isoWeekday: number, hh: number, mm: number): string {
  for (let d = 0; d < 14; d++) {
    const day = new Date(fromMs + d * 86_400_000);
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).formatToParts(day);
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
    const wd = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
    if (wd !== isoWeekday) continue;
    const candidate = romeWallTime(`${get('year')}-${get('month')}-${get('day')}`, hh, mm);
    if (Date.parse(candidate) > fromMs) return candidate;
  }
  throw new Error('no weekday found');
}

/** The instant of a Europe/Rome wall time on a date (CET/CEST resolved by trying both offsets). */
export function romeWallTime(date: string, hh: number, mm: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  for (const offset of ['+01:00', '+02:00']) {
    const iso = `${date}T${pad(hh)}:${pad(mm)}:00${offset}`;
    const shown = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
    if (shown === `${pad(hh)}:${pad(mm)}`) return new Date(iso).toISOString();
  }
  throw new Error(`no such wall time ${date} ${hh}:${mm}`);
}

/** Moves the test clock to the next Saturday 23:30 in Rome and opens a case there. */
export async function openSaturdayNight(h: Harness, report: Partial<IntakeInput> = {}, protocol?: Partial<ProtocolSettings>): Promise<CaseHandle> {
  await h.sleepUntil(nextRomeWeekday(await h.now(), 6, 23, 30));
  const c = await h.open(report, protocol);
  await until(c, (v) => v.status !== 'intake', 'scope check');
  return c;
}

export async function openAndAssess(
  h: Harness,
  report: Partial<IntakeInput>,
  risk: Record<string, unknown>,
  protocol?: Partial<ProtocolSettings>,
): Promise<CaseHandle> {
  const c = await openSaturdayNight(h, report, protocol);
  await c.run('take_charge', OPERATOR, forms.takeCharge);
  await c.complete('risk_check', OPERATOR, forms.riskCheck(risk));
  await until(c, (v) => v.risk !== undefined, 'risk assessed');
  return c;
}
