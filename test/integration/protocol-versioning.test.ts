import { randomBytes, randomUUID } from 'node:crypto';
import type { Worker, WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { outboxOnlyNotifier } from '../../src/activities/notifier';
import type { TemporalClientHandle } from '../../src/temporal/client';
import { createDataConverter } from '../../src/temporal/data-converter';
import { describeDeployment, openCasesByVersion, setCurrentVersion, type DeploymentTarget } from '../../src/temporal/deployments';
import { parseKeyring } from '../../src/temporal/keyring';
import { caseWorkflowBundle, createCaseWorker } from '../../src/temporal/worker';
import { findStuckCases } from '../../src/supervision/stuck';
import { supervisionSettings } from '../../src/supervision/settings';
import { overrideScopeUpdate, type CaseView } from '../../src/workflows/definitions';
import { CaseDriver, COORDINATOR, forms, OPERATOR, type DriverDeps } from '../../scripts/lib/case-driver';
import { versioningStatus } from '../../scripts/versioning-status';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { protocolV1Bundle } from '../helpers/protocol-v1';
import { testClient, testNamespace, testNativeConnection, uniqueTaskQueue } from '../helpers/temporal';

/**
 * Protocol revision 2 (assisted violence) reaches cases already running, on the real dev server:
 * first as a plain rolling deploy of the patched code (patched() keeps old cases on the old
 * rules), then with worker deployment versions (old cases pinned to the old build).
 */
jest.setTimeout(300_000);

const AV_TASKS = ['av_consent', 'av_cav_contact', 'av_protected_placement'];
const hasAvTask = (v: CaseView) => v.tasks.some((t) => AV_TASKS.includes(t.type));

describe('protocol revision rollout on the dev server', () => {
  let db: TestDatabase;
  let temporal: TemporalClientHandle;
  let v1Bundle: WorkflowBundle;
  let v2Bundle: WorkflowBundle;
  const dataConverter = createDataConverter(parseKeyring(`versioning:${randomBytes(32).toString('base64')}`));
  const workers: Array<{ worker: Worker; running: Promise<void> }> = [];

  async function startWorker(taskQueue: string, workflowBundle: WorkflowBundle, deployment?: { name: string; buildId: string }) {
    const worker = await createCaseWorker({
      connection: await testNativeConnection(),
      namespace: testNamespace(),
      taskQueue,
      activities: createActivities({ prisma: db.prisma, notifier: outboxOnlyNotifier }),
      dataConverter,
      workflowBundle,
      deployment,
    });
    const w = { worker, running: worker.run() };
    workers.push(w);
    return w;
  }
  async function stop(w: { worker: Worker; running: Promise<void> }) {
    if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
    await w.running;
  }
  async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await fn().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase('versioning');
    temporal = await testClient(dataConverter);
    [v1Bundle, v2Bundle] = await Promise.all([protocolV1Bundle(), caseWorkflowBundle()]);
  });
  afterAll(async () => {
    for (const w of workers) await stop(w).catch(() => undefined);
    await temporal?.connection.close();
    await db?.drop();
  });

  it('rolling deploy of the patched code: seven running cases keep the old rules, new cases get the new one', async () => {
    const taskQueue = uniqueTaskQueue('versioning-patch');
    const deps: DriverDeps = { client: temporal.client, prisma: db.prisma, taskQueue };
    const v1 = await startWorker(taskQueue, v1Bundle);

    // Version 1 (no patch): seven cases stopped at different steps.
    const [atTakeCharge, atRiskCheck, atIntervention, atConsent, atHandover, atRecheckTimer, atScopeReview] = await Promise.all([
      CaseDriver.open(deps).then(async (c) => (await c.task('take_charge'), c)),
      CaseDriver.open(deps).then(async (c) => {
        await c.run('take_charge', OPERATOR, forms.takeCharge);
        await c.task('risk_check');
        return c;
      }),
      CaseDriver.open(deps).then(async (c) => {
        await c.run('take_charge', OPERATOR, forms.takeCharge);
        // The new console already asks the question; the old protocol ignores the answer.
        await c.run('risk_check', OPERATOR, forms.riskCheck({ assistedViolence: true, childrenPresent: true, childrenCount: 1 }));
        await c.task('intervention');
        return c;
      }),
      CaseDriver.open(deps, { categories: ['women_violence'] }).then(async (c) => {
        await c.run('take_charge', OPERATOR, forms.takeCharge);
        await c.run('risk_check', OPERATOR, forms.riskCheck({ violenceSuspected: true }));
        await c.task('av_consent');
        return c;
      }),
      CaseDriver.open(deps).then(async (c) => {
        await c.run('take_charge', OPERATOR, forms.takeCharge);
        await c.run('risk_check', OPERATOR, forms.riskCheck({ withoutShelter: true }));
        await c.run('intervention', OPERATOR, forms.interventionPlaced());
        await c.waitFor((v) => v.status === 'awaiting_handover' && v.handover !== undefined, 'awaiting handover');
        return c;
      }),
      CaseDriver.open(deps, {}, { welfareRecheckMinutes: 1 }).then(async (c) => {
        await c.run('take_charge', OPERATOR, forms.takeCharge);
        await c.run('risk_check', OPERATOR, forms.riskCheck({ withoutShelter: true, freezingConditions: true }));
        await c.run('intervention', OPERATOR, forms.interventionRefused());
        await c.waitFor((v) => v.decisions.some((d) => d.kind === 'welfare_recheck_scheduled'), 'welfare re-check timer');
        return c;
      }),
      CaseDriver.open(deps, { reportingForce: 'other' }).then(async (c) => (await c.task('scope_review'), c)),
    ]);
    const old = [atTakeCharge, atRiskCheck, atIntervention, atConsent, atHandover, atRecheckTimer, atScopeReview];
    const intervention = await atIntervention.view();
    expect(intervention.risk).not.toHaveProperty('assistedViolence');
    expect(intervention.risk?.minors).toBe(true); // childrenPresent, as before
    expect(hasAvTask(intervention)).toBe(false);
    // Visibility: all seven still need the old path.
    await eventually('visibility of the old cases', async () => {
      const s = await versioningStatus(temporal.client, { taskQueue });
      return s.oldPathCases === 7 && s.openCases === 7 ? s : undefined;
    });

    // Version 2 replaces version 1 (unversioned workers: the patch alone keeps old cases safe).
    await stop(v1);
    await startWorker(taskQueue, v2Bundle);

    const assisted = await CaseDriver.open(deps, { categories: ['minors_at_risk'] });
    await assisted.run('take_charge', OPERATOR, forms.takeCharge);
    const unanswered = forms.riskCheck({ withoutShelter: true }) as { questions: Record<string, unknown> };
    delete unanswered.questions.assistedViolence;
    const plain = await CaseDriver.open(deps);
    await plain.run('take_charge', OPERATOR, forms.takeCharge);
    // Revision 2: the question is mandatory.
    await expect(plain.run('risk_check', OPERATOR, unanswered)).rejects.toMatchObject({ cause: { type: 'INVALID_FORM' } });

    await Promise.all([
      (async () => {
        await assisted.run('risk_check', OPERATOR, forms.riskCheck({ assistedViolence: true, childrenPresent: true, childrenCount: 2 }));
        const v = await assisted.task('av_consent').then(() => assisted.view());
        expect(v.protocolRevision).toBe(2);
        expect(v.risk).toMatchObject({ assistedViolence: true, minors: true, violence: false, level: 'high' });
        await assisted.run('av_consent', OPERATOR, forms.avConsent(false, 2));
        await assisted.run('intervention', OPERATOR, forms.interventionOnSite());
        expect((await assisted.handOver()).closure?.outcome).toBe('taken_on_by_comune');
      })(),
      (async () => {
        await plain.run('risk_check', OPERATOR, forms.riskCheck({ withoutShelter: true }));
        await plain.run('intervention', OPERATOR, forms.interventionPlaced());
        const end = await plain.handOver();
        expect(end.protocolRevision).toBe(2);
        expect(hasAvTask(end)).toBe(false);
      })(),
      // The old cases, each on its own (revision 1) rules.
      (async () => {
        await atTakeCharge.run('take_charge', OPERATOR, forms.takeCharge);
        await atTakeCharge.run('risk_check', OPERATOR, forms.riskCheck({ assistedViolence: true, childrenPresent: true, childrenCount: 1 }));
        await atTakeCharge.run('intervention', OPERATOR, forms.interventionPlaced());
        const end = await atTakeCharge.handOver();
        expect(end.risk).not.toHaveProperty('assistedViolence');
        expect(hasAvTask(end)).toBe(false);
      })(),
      (async () => {
        // An open risk check of an old case still accepts the old form (no assistedViolence).
        await atRiskCheck.run('risk_check', OPERATOR, unanswered);
        await atRiskCheck.run('intervention', OPERATOR, forms.interventionPlaced());
        expect(hasAvTask(await atRiskCheck.handOver())).toBe(false);
      })(),
      (async () => {
        await atIntervention.run('intervention', OPERATOR, forms.interventionPlaced());
        expect(hasAvTask(await atIntervention.handOver())).toBe(false);
      })(),
      (async () => {
        await atConsent.run('av_consent', OPERATOR, forms.avConsent(false));
        await atConsent.run('intervention', OPERATOR, forms.interventionOnSite());
        expect((await atConsent.handOver(false)).closure?.outcome).toBe('resolved');
      })(),
      atHandover.handOver(),
      (async () => {
        await atRecheckTimer.run('welfare_recheck', OPERATOR, forms.welfareRecheck(false), 120_000);
        await atRecheckTimer.handOver();
      })(),
      (async () => {
        await atScopeReview.handle().executeUpdate(overrideScopeUpdate, { args: [{ actor: COORDINATOR, reason: 'Segnalazione girata dal 112' }] });
        await atScopeReview.run('take_charge', OPERATOR, forms.takeCharge);
        await atScopeReview.run('risk_check', OPERATOR, forms.riskCheck({ assistedViolence: true, childrenPresent: true, childrenCount: 1 }));
        await atScopeReview.run('intervention', OPERATOR, forms.interventionOnSite());
        expect(hasAvTask(await atScopeReview.handOver())).toBe(false);
      })(),
    ]);

    // Nothing lost: every case closed in Temporal and in the read model, every form stored.
    for (const c of [...old, assisted, plain]) {
      const end = await c.result();
      expect(end.status).toBe('closed');
      if (old.includes(c)) expect(end.protocolRevision).toBeUndefined();
      const row = await db.prisma.case.findUniqueOrThrow({ where: { id: c.caseId }, include: { submissions: true } });
      expect(row.status).toBe('closed');
      expect(row.submissions).toHaveLength(end.tasks.filter((t) => t.status === 'completed' && t.type !== 'scope_review').length);
    }
    const after = await eventually('visibility after closing', async () => {
      const s = await versioningStatus(temporal.client, { taskQueue });
      return s.openCases === 0 ? s : undefined;
    });
    expect(after.oldPathCases).toBe(0);
  });

  it('worker deployment versions: an old case stays pinned to build v1 while new cases start on v2', async () => {
    const taskQueue = uniqueTaskQueue('versioning-deploy');
    const deploymentName = `pis-test-${randomUUID().slice(0, 8)}`;
    const deps: DriverDeps = { client: temporal.client, prisma: db.prisma, taskQueue };
    const target: DeploymentTarget = { connection: temporal.connection, namespace: testNamespace(), deploymentName, identity: 'versioning-test' };
    const settings = supervisionSettings({ pollerStaleSeconds: 3 });
    const supervision = { prisma: db.prisma, client: temporal.client, connection: temporal.connection, namespace: testNamespace(), taskQueue };

    let v1 = await startWorker(taskQueue, v1Bundle, { name: deploymentName, buildId: 'v1' });
    await eventually('v1 registered', () => setCurrentVersion(target, 'v1').then(() => true));
    const pinned = await CaseDriver.open(deps);
    await pinned.run('take_charge', OPERATOR, forms.takeCharge);
    await pinned.task('risk_check');

    await startWorker(taskQueue, v2Bundle, { name: deploymentName, buildId: 'v2' });
    await eventually('v2 registered', () => setCurrentVersion(target, 'v2').then(() => true));
    const status = await describeDeployment(target);
    expect(status.current?.buildId).toBe('v2');
    expect(status.versions.map((v) => v.buildId).sort()).toEqual(['v1', 'v2']);
    const fresh = await CaseDriver.open(deps);
    await fresh.run('take_charge', OPERATOR, forms.takeCharge);
    expect((await fresh.view()).protocolRevision).toBe(2);

    const byVersion = await eventually('open cases by version', async () => {
      const list = await openCasesByVersion(temporal.client, { taskQueue });
      return list.length === 2 && list.every((c) => c.version) ? list : undefined;
    });
    expect(byVersion.find((c) => c.workflowId === pinned.workflowId)).toMatchObject({ version: { buildId: 'v1' }, behavior: 'pinned' });
    expect(byVersion.find((c) => c.workflowId === fresh.workflowId)).toMatchObject({ version: { buildId: 'v2' }, behavior: 'pinned' });

    // The v1 build stops while a case is pinned to it: supervision says so (v2 workers do not help it).
    await stop(v1);
    const report = await eventually('no worker for v1', async () => {
      const r = await findStuckCases(supervision, settings);
      const item = r.items.find((i) => i.caseId === pinned.caseId);
      return item?.reasons.some((x) => x.kind === 'no_worker' && x.detail.includes(`${deploymentName}:v1`)) ? r : undefined;
    });
    expect(report.worker?.polling).toBe(true);
    expect(report.items.find((i) => i.caseId === fresh.caseId)?.reasons.some((x) => x.kind === 'no_worker') ?? false).toBe(false);

    // v1 comes back (rollback of the stop) and the pinned case finishes on its old rules.
    v1 = await startWorker(taskQueue, v1Bundle, { name: deploymentName, buildId: 'v1' });
    await pinned.run('risk_check', OPERATOR, forms.riskCheck({ assistedViolence: true, childrenPresent: true, childrenCount: 1 }));
    await pinned.run('intervention', OPERATOR, forms.interventionPlaced());
    const oldEnd = await pinned.handOver();
    expect(oldEnd.protocolRevision).toBeUndefined();
    expect(hasAvTask(oldEnd)).toBe(false);

    await fresh.run('risk_check', OPERATOR, forms.riskCheck({ assistedViolence: true, childrenPresent: true, childrenCount: 1 }));
    await fresh.run('av_consent', OPERATOR, forms.avConsent(false, 1));
    await fresh.run('intervention', OPERATOR, forms.interventionOnSite());
    expect((await fresh.handOver()).risk).toMatchObject({ assistedViolence: true, minors: true });
    await stop(v1);
  });
});
