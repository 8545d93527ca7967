import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../src/activities';
import { outboxOnlyNotifier } from '../src/activities/notifier';
import { createPrismaClient } from '../src/db/prisma';
import { seedReferenceData } from '../src/db/seed';
import { createDataConverter } from '../src/temporal/data-converter';
import { createCaseWorker } from '../src/temporal/worker';
import { cancelCaseUpdate, handoverRecomputeSignal, overrideScopeUpdate, type CaseView } from '../src/workflows/definitions';
import type { OfficeCalendar } from '../src/calendar';
import { formatIsoDate } from '../src/calendar/dates';
import { wallClockAt } from '../src/calendar/zoned';
import type { Prisma } from '../src/generated/prisma/client';
import { CaseDriver, COORDINATOR, type DriverDeps, forms, MILANO, OPERATOR, RHO, socialWorker } from './lib/case-driver';
import { exportWorkflowHistories, testOnlyKeyring } from './lib/histories';
import { startRecordingStack } from './lib/recording-stack';

/**
 * `npm run histories:record -- --label v2 [scenario ...]`: drives synthetic cases through every
 * branch and timeout path on a real dev server, with protocol timings shortened to minutes, and
 * writes their histories to test/histories/<label>-<scenario>.json (encrypted with the test-only
 * key). Without scenario names it records the baseline set; takes about four minutes.
 *
 * Uses a throw-away embedded PostgreSQL and dev server, or TEMPORAL_ADDRESS + DATABASE_URL.
 */

type Scenario = (deps: DriverDeps) => Promise<CaseDriver>;

const expectOutcome = (v: CaseView, outcome: string) => {
  if (v.closure?.outcome !== outcome) throw new Error(`expected outcome ${outcome}, got ${v.closure?.outcome ?? 'none'}`);
};

/** Takes charge and completes the risk check with these questions. */
async function assessed(deps: DriverDeps, questions: Record<string, unknown>, report = {}, protocol = {}): Promise<CaseDriver> {
  const c = await CaseDriver.open(deps, report, protocol);
  await c.run('take_charge', OPERATOR, forms.takeCharge);
  await c.run('risk_check', OPERATOR, forms.riskCheck(questions));
  return c;
}

export const SCENARIOS: Record<string, Scenario> = {
  'homeless-refusal-recheck': async (deps) => {
    const c = await assessed(deps, { withoutShelter: true, freezingConditions: true }, {}, { welfareRecheckMinutes: 1 });
    await c.run('intervention', OPERATOR, forms.interventionRefused());
    await c.run('welfare_recheck', OPERATOR, forms.welfareRecheck(false), 180_000);
    expectOutcome(await c.handOver(), 'taken_on_by_comune');
    return c;
  },
  'unclaimed-escalation': async (deps) => {
    const c = await CaseDriver.open(deps, {}, { takeChargeSlaMinutes: 1 });
    await c.run('escalation', COORDINATOR, forms.escalation, 180_000);
    await c.run('take_charge', OPERATOR, forms.takeCharge);
    await c.run('risk_check', OPERATOR, forms.riskCheck({ withoutShelter: true }));
    await c.run('intervention', OPERATOR, forms.interventionPlaced());
    expectOutcome(await c.handOver(), 'taken_on_by_comune');
    return c;
  },
  'anti-violence-consent': async (deps) => {
    const c = await assessed(
      deps,
      { violenceSuspected: true, childrenPresent: true, childrenCount: 2 },
      { categories: ['women_violence'], people: [{ role: 'subject', firstName: 'Donna', isMinor: false, gender: 'f' }, { role: 'child', isMinor: true }, { role: 'child', isMinor: true }] },
    );
    await c.run('av_consent', OPERATOR, forms.avConsent(true, 2, true));
    await c.run('av_cav_contact', OPERATOR, forms.cavContact());
    await c.run('av_protected_placement', OPERATOR, forms.protectedPlacement(2));
    await c.run('intervention', OPERATOR, forms.interventionPlaced());
    expectOutcome(await c.handOver(), 'taken_on_by_comune');
    return c;
  },
  'anti-violence-refusal': async (deps) => {
    const c = await assessed(deps, { violenceSuspected: true }, { categories: ['women_violence'] });
    await c.run('av_consent', OPERATOR, forms.avConsent(false, 1));
    await c.run('intervention', OPERATOR, forms.interventionOnSite());
    expectOutcome(await c.handOver(false), 'resolved');
    return c;
  },
  msna: async (deps) => {
    const c = await assessed(deps, { unaccompaniedMinor: true, withoutShelter: true }, { categories: ['msna'], people: [{ role: 'subject', isMinor: true, birthYear: 2010 }] });
    await c.run('msna_placement', OPERATOR, forms.msnaPlacement());
    await c.run('msna_notices', OPERATOR, forms.msnaNotices());
    await c.run('intervention', OPERATOR, forms.interventionPlaced());
    expectOutcome(await c.handOver(), 'taken_on_by_comune');
    return c;
  },
  'art403-reminder-escalation': async (deps) => {
    const c = await assessed(
      deps,
      { art403Placement: true, childrenPresent: true, childrenCount: 1 },
      { categories: ['minors_at_risk'], people: [{ role: 'subject', isMinor: true, birthYear: 2014 }] },
      { art403ReminderMinutes: 1, art403ReportDueMinutes: 2 },
    );
    await c.run('intervention', OPERATOR, forms.interventionPlaced());
    await c.waitFor((v) => v.decisions.some((d) => d.kind === 'task_reminder'), 'the 403 reminder', 180_000);
    await c.run('escalation', COORDINATOR, forms.escalation, 180_000);
    await c.run('art403_report', OPERATOR, forms.art403Report());
    expectOutcome(await c.handOver(), 'taken_on_by_comune');
    return c;
  },
  'scope-redirect-timeout': async (deps) => {
    const c = await CaseDriver.open(deps, { reportingForce: 'other' }, { scopeReviewMinutes: 1 });
    expectOutcome(await c.result(), 'redirected');
    return c;
  },
  'scope-override': async (deps) => {
    const c = await CaseDriver.open(deps, { reportingForce: 'other' });
    await c.task('scope_review');
    await c.handle().executeUpdate(overrideScopeUpdate, { args: [{ actor: COORDINATOR, reason: 'Segnalazione girata dal 112' }] });
    await c.run('take_charge', OPERATOR, forms.takeCharge);
    await c.run('risk_check', OPERATOR, forms.riskCheck({ withoutCaregiver: true }));
    await c.run('intervention', OPERATOR, forms.interventionOnSite());
    expectOutcome(await c.handOver(), 'taken_on_by_comune');
    return c;
  },
  'external-handover': async (deps) => {
    const c = await assessed(deps, { withoutShelter: true }, { residenceComuneCode: MILANO });
    await c.run('intervention', OPERATOR, forms.interventionPlaced());
    await c.run('external_handover', COORDINATOR, forms.externalHandover());
    expectOutcome(await c.result(), 'handed_over_external');
    return c;
  },
  'handover-reminder-escalation': async (deps) => {
    const c = await assessed(deps, { withoutShelter: true }, {}, { handoverAckMinutes: 1, handoverEscalationMinutes: 1 });
    await c.run('intervention', OPERATOR, forms.interventionPlaced());
    await c.handoverNow();
    await c.run('escalation', COORDINATOR, forms.escalation, 240_000);
    const v = await c.view();
    if (!v.decisions.some((d) => d.kind === 'task_reminder')) throw new Error('no handover reminder before the escalation');
    await c.run('handover_ack', { userId: 'u-sw', role: 'social_worker', comuneCode: v.handover?.comuneCode }, forms.handoverAck);
    expectOutcome(await c.result(), 'taken_on_by_comune');
    return c;
  },
  cancellation: async (deps) => {
    const c = await assessed(deps, { withoutShelter: true });
    await c.task('intervention');
    await c.handle().executeUpdate(cancelCaseUpdate, { args: [{ actor: COORDINATOR, reason: 'Segnalazione duplicata' }] });
    expectOutcome(await c.result(), 'cancelled');
    return c;
  },
  'continue-as-new': async (deps) => {
    const c = await assessed(deps, { withoutShelter: true, freezingConditions: true }, {}, { continueAsNewAfterEvents: 60 });
    await c.run('intervention', OPERATOR, forms.interventionPlaced());
    expectOutcome(await c.handOver(), 'taken_on_by_comune');
    return c;
  },
};

/** Cases that get a message added by a later patch. */
export const PATCH_SCENARIOS: Record<string, Scenario> = {
  // Patch handover-follows-calendar: the Comune's calendar changes twice while the case waits.
  'handover-follows-calendar': async (deps) => {
    // Recorded at any hour: the office must still be closed when the case reaches the handover.
    const rho = await deps.prisma.comune.findUniqueOrThrow({ where: { code: RHO } });
    const calendar = rho.calendar as unknown as OfficeCalendar;
    const days = [0, 1].map((d) => formatIsoDate(wallClockAt(Date.now() + d * 86_400_000, calendar.timeZone)));
    const closed = { ...calendar, extraClosures: [...calendar.extraClosures, ...days.map((date) => ({ date, reason: 'Registrazione' }))] };
    await deps.prisma.comune.update({ where: { code: RHO }, data: { calendar: closed as unknown as Prisma.InputJsonValue } });
    const c = await assessed(deps, { withoutShelter: true });
    await c.run('intervention', OPERATOR, forms.interventionPlaced());
    const v = await c.waitFor((x) => x.status === 'awaiting_handover' && x.handover !== undefined, 'awaiting handover');
    const comuneCode = v.handover?.comuneCode ?? '';
    const later = new Date(Date.parse(v.handover?.openingAt ?? '') + 86_400_000).toISOString();
    const signal = (changeId: string, openingAt: string, what: string) =>
      c.handle().signal(handoverRecomputeSignal, { changeId, comuneCode, openingAt, reason: `Calendario dell'ufficio modificato: ${what}` });
    await signal('calendar-change-1', later, 'chiusura straordinaria');
    await c.waitFor((x) => x.handover?.openingAt === later, 'the handover moved to the later opening');
    await signal('calendar-change-1', later, 'chiusura straordinaria');
    await signal('calendar-change-2', new Date().toISOString(), 'apertura straordinaria');
    await c.run('handover_ack', socialWorker(comuneCode), forms.handoverAck);
    expectOutcome(await c.result(), 'taken_on_by_comune');
    return c;
  },
};

/** Cases on protocol revision 2 (the risk check asks about assisted violence). */
export const REVISION_2_SCENARIOS: Record<string, Scenario> = {
  'assisted-violence': async (deps) => {
    const c = await assessed(deps, { assistedViolence: true, childrenPresent: true, childrenCount: 1 }, { categories: ['minors_at_risk'] });
    await c.run('av_consent', OPERATOR, forms.avConsent(true, 1));
    await c.run('av_cav_contact', OPERATOR, forms.cavContact());
    await c.run('av_protected_placement', OPERATOR, forms.protectedPlacement(1));
    await c.run('intervention', OPERATOR, forms.interventionPlaced());
    expectOutcome(await c.handOver(), 'taken_on_by_comune');
    return c;
  },
  'no-assisted-violence': async (deps) => {
    const c = await assessed(deps, { assistedViolence: false, withoutShelter: true });
    await c.run('intervention', OPERATOR, forms.interventionPlaced());
    expectOutcome(await c.handOver(), 'taken_on_by_comune');
    return c;
  },
};

function parseArgs(argv: string[]): { label: string; names: string[] } {
  const i = argv.indexOf('--label');
  const label = i >= 0 ? argv[i + 1] : undefined;
  if (!label || !/^v\d+$/.test(label)) throw new Error('usage: record-histories --label v<N> [scenario ...]');
  const names = argv.filter((a, j) => j !== i && j !== i + 1);
  const all = { ...SCENARIOS, ...REVISION_2_SCENARIOS, ...PATCH_SCENARIOS };
  for (const n of names) if (!(n in all)) throw new Error(`unknown scenario ${n}; known: ${Object.keys(all).join(', ')}`);
  return { label, names: names.length > 0 ? names : Object.keys(SCENARIOS) };
}

async function main(): Promise<void> {
  const { label, names } = parseArgs(process.argv.slice(2));
  const log = (line: string) => console.error(`[record] ${line}`);
  const stack = await startRecordingStack(log);
  const prisma = createPrismaClient(stack.databaseUrl);
  const dataConverter = createDataConverter(testOnlyKeyring());
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  try {
    await seedReferenceData(prisma);
    const client = new Client({ connection, namespace: stack.namespace, dataConverter });
    const taskQueue = `record-${randomUUID().slice(0, 8)}`;
    const worker = await createCaseWorker({
      connection: nativeConnection,
      namespace: stack.namespace,
      taskQueue,
      activities: createActivities({ prisma, notifier: outboxOnlyNotifier }),
      dataConverter,
    });
    const all = { ...SCENARIOS, ...REVISION_2_SCENARIOS, ...PATCH_SCENARIOS };
    const started = Date.now();
    const failures: string[] = [];
    await worker.runUntil(
      Promise.all(
        names.map(async (name) => {
          try {
            const c = await (all[name] as Scenario)({ client, prisma, taskQueue });
            const files = await exportWorkflowHistories(client, c.workflowId, `${label}-${name}`);
            log(`${name}: ${files.map((f) => f.split('/').pop()).join(', ')} (${Math.round((Date.now() - started) / 1000)} s)`);
          } catch (err) {
            failures.push(`${name}: ${(err as Error).message}`);
            log(`${name} FAILED: ${(err as Error).message}`);
          }
        }),
      ),
    );
    if (failures.length > 0) throw new Error(`${failures.length} scenario(s) failed:\n${failures.join('\n')}`);
  } finally {
    await prisma.$disconnect();
    await connection.close();
    await nativeConnection.close();
    await stack.stop();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
