import { randomBytes } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { resolveTestServer } from '../../src/embedded/binaries';
import { createCaseWorker } from '../../src/temporal/worker';
import type { CaseActivities, CaseSnapshot, ComputeHandoverInput, PersistCaseInput } from '../../src/workflows/activity-types';
import { type Actor, CASE_WORKFLOW_TYPE, type CaseView, type CaseWorkflowInput, caseWorkflowId } from '../../src/workflows/definitions';
import { DEFAULT_PROTOCOL_SETTINGS, type HandoverTarget, type PendingSubmission, type ProtocolSettings, type ScopeAssessment } from '../../src/workflows/model';
import { forms } from '../../scripts/lib/case-driver';
import { type CaseHandle, caseHandle, until } from './case-handle';
import { createTimeSkippingEnv, registerSearchAttributes } from './temporal';

/**
 * The case workflow on the time-skipping test server with in-memory activities: the protocol's
 * logic without PostgreSQL (integration tests keep the real database). One environment per test
 * file; `open` starts a case, the fakes record what the workflow wrote.
 */

export const INTAKE: Actor = { userId: 'u-intake', role: 'intake_operator' };
export const OPERATOR: Actor = { userId: 'u-op-1', role: 'emergency_operator' };
export const COORDINATOR: Actor = { userId: 'u-coord', role: 'coordinator' };
export const LAINATE = '015116';
export const socialWorker = (comuneCode = LAINATE): Actor => ({ userId: `u-sw-${comuneCode}`, role: 'social_worker', comuneCode });

/** The default handover target: the Comune of the event, its office opens 12 h later. */
export function officeOpensIn12Hours(input: ComputeHandoverInput): HandoverTarget {
  return { comuneCode: input.eventComuneCode, external: false, openingAt: new Date(Date.parse(input.notBefore) + 12 * 3_600_000).toISOString() };
}

/** In-memory stand-ins for the read model and the office calendars. */
export class FakeActivities implements CaseActivities {
  scope: ScopeAssessment = { inScope: true, reasons: [] };
  handoverTarget: (input: ComputeHandoverInput) => HandoverTarget = officeOpensIn12Hours;
  /** What the workflow wrote to the read model, in order (all cases of the file). */
  readonly snapshots: CaseSnapshot[] = [];
  readonly submissions: PendingSubmission[] = [];

  assessScope = () => Promise.resolve(this.scope);
  computeHandover = (input: ComputeHandoverInput) => Promise.resolve(this.handoverTarget(input));
  prepareHandoverSummary = () => Promise.resolve();
  reportPersistenceFailure = () => Promise.resolve();
  persistCase = (input: PersistCaseInput) => {
    this.snapshots.push(input.snapshot);
    this.submissions.push(...input.submissions);
    return Promise.resolve();
  };
}

export interface ProtocolHarness {
  env: TestWorkflowEnvironment;
  activities: FakeActivities;
  open(input?: Partial<CaseWorkflowInput>, protocol?: Partial<ProtocolSettings>): Promise<CaseHandle>;
  /** Advances the test server's clock (time skipping). */
  skipMinutes(minutes: number): Promise<void>;
  teardown(): Promise<void>;
}

export async function startProtocolHarness(): Promise<ProtocolHarness> {
  // No global setup for the step tests: the time-skipping test server comes from .cache/bin (npm run provision).
  const executable = process.env.TEST_TEMPORAL_TEST_SERVER_PATH ?? (await resolveTestServer({ explicitPath: process.env.TEMPORAL_TEST_SERVER_PATH }));
  const env = await createTimeSkippingEnv(undefined, executable);
  await registerSearchAttributes(env);
  const activities = new FakeActivities();
  const taskQueue = `steps-${randomBytes(4).toString('hex')}`;
  const worker: Worker = await createCaseWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, activities });
  const running = worker.run();
  return {
    env,
    activities,
    async open(input = {}, protocol = {}) {
      const caseId = `c-${randomBytes(6).toString('hex')}`;
      const args: CaseWorkflowInput = {
        caseId,
        reference: `PIS-TEST-${caseId}`,
        ambitoId: 'rhodense',
        eventComuneCode: LAINATE,
        reportingForce: 'carabinieri',
        categories: ['homeless'],
        minorsInvolved: false,
        reportedAt: new Date(await env.currentTimeMs()).toISOString(),
        createdBy: INTAKE,
        ...input,
        protocol: { ...DEFAULT_PROTOCOL_SETTINGS, ...protocol },
      };
      const handle = await env.client.workflow.start(CASE_WORKFLOW_TYPE, { taskQueue, workflowId: caseWorkflowId(caseId), args: [args] });
      return caseHandle(caseId, handle);
    },
    skipMinutes: (minutes) => env.sleep(minutes * 60_000),
    async teardown() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/** Takes charge and completes the risk check with these answers (see case-driver `forms.riskCheck`). */
export async function throughRiskCheck(c: CaseHandle, questions: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<CaseView> {
  await c.run('take_charge', OPERATOR, forms.takeCharge);
  await c.complete('risk_check', OPERATOR, forms.riskCheck(questions, extra));
  return until(c, (v) => v.risk !== undefined, 'risk assessed');
}

/** Starts the harness before the file's tests and stops it after them. */
export function useProtocolHarness(): ProtocolHarness {
  let started: ProtocolHarness | undefined;
  beforeAll(async () => {
    started = await startProtocolHarness();
  });
  afterAll(() => started?.teardown());
  const h = (): ProtocolHarness => {
    if (!started) throw new Error('the protocol harness starts in beforeAll');
    return started;
  };
  return {
    get env() {
      return h().env;
    },
    get activities() {
      return h().activities;
    },
    open: (input, protocol) => h().open(input, protocol),
    skipMinutes: (minutes) => h().skipMinutes(minutes),
    teardown: () => h().teardown(),
  };
}
