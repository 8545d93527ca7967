import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { outboxOnlyNotifier } from '../../src/activities/notifier';
import { classifyPersistenceError } from '../../src/activities/persistence-errors';
import { receiveReport } from '../../src/cases/intake';
import { intakeSchema } from '../../src/cases/intake-schema';
import { createPrismaClient } from '../../src/db/prisma';
import { createDataConverter } from '../../src/temporal/data-converter';
import { parseKeyring } from '../../src/temporal/keyring';
import { createCaseWorker } from '../../src/temporal/worker';
import type { TemporalClientHandle } from '../../src/temporal/client';
import {
  caseWorkflowId,
  claimTaskUpdate,
  escalateCaseUpdate,
  getCaseQuery,
  retryPersistenceUpdate,
  type CaseView,
} from '../../src/workflows/definitions';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { testClient, testNamespace, testNativeConnection, uniqueTaskQueue } from '../helpers/temporal';
import { baseReport, COORDINATOR, INTAKE, OPERATOR } from '../workflow/harness';

/**
 * A write the database refuses (here: a trigger that rejects escalations, standing in for any
 * value or constraint PostgreSQL will never accept) must not freeze the case silently: the case
 * row says the write failed and why (class and code only), no further change is accepted, the
 * caller of the change is not told it was done, and a coordinator's retry resumes the case once
 * the cause is fixed, with each audit row written exactly once.
 */
describe('a write the database refuses', () => {
  let db: TestDatabase;
  let temporal: TemporalClientHandle;
  let worker: Worker;
  let running: Promise<void>;
  let taskQueue: string;
  const dataConverter = createDataConverter(parseKeyring(`it:${randomBytes(32).toString('base64')}`));

  beforeAll(async () => {
    db = await createTestDatabase('persistence_failure');
    temporal = await testClient(dataConverter);
    taskQueue = uniqueTaskQueue('persistence-failure');
    worker = await createCaseWorker({
      connection: await testNativeConnection(),
      namespace: testNamespace(),
      taskQueue,
      activities: createActivities({ prisma: db.prisma, notifier: outboxOnlyNotifier }),
      dataConverter,
    });
    running = worker.run();
  });
  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await temporal?.connection.close();
    await db?.drop();
  });

  async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 600; i++) {
      const v = await fn();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('is classified from the real error: refused data is permanent, an unreachable database is not', async () => {
    await db.prisma.$executeRawUnsafe(`CREATE TABLE probe (id text PRIMARY KEY, doc jsonb)`);
    const nul = await db.prisma.$executeRawUnsafe(`INSERT INTO probe VALUES ('a', $1::jsonb)`, '{"x":"a\\u0000b"}').catch((e: unknown) => e);
    expect(classifyPersistenceError(nul)).toMatchObject({ permanent: true, code: expect.stringContaining('22P05') as string });
    await db.prisma.$executeRawUnsafe(`INSERT INTO probe VALUES ('b', '{}')`);
    const dup = await db.prisma.$executeRawUnsafe(`INSERT INTO probe VALUES ('b', '{}')`).catch((e: unknown) => e);
    expect(classifyPersistenceError(dup)).toMatchObject({ permanent: true, code: expect.stringContaining('23505') as string });

    const dead = createPrismaClient('postgresql://postgres:x@127.0.0.1:9/none');
    try {
      const refused = await dead.comune.findMany().catch((e: unknown) => e);
      const info = classifyPersistenceError(refused);
      expect(info.permanent).toBe(false);
      expect(info.code).toMatch(/P1001|DatabaseNotReachable/);
    } finally {
      await dead.$disconnect();
    }
  });

  it('blocks the case, says why, and resumes after a coordinator retry', async () => {
    const intake = await receiveReport({ prisma: db.prisma, client: temporal.client, taskQueue }, intakeSchema.parse(baseReport()), INTAKE);
    const handle = temporal.client.workflow.getHandle(caseWorkflowId(intake.caseId));
    const open = await until('the take-charge task', async () => {
      const v = await handle.query(getCaseQuery);
      return v.tasks.find((t) => t.type === 'take_charge' && t.status === 'open');
    });
    await until('the read model', async () => ((await db.prisma.task.findUnique({ where: { id: open.id } })) ? true : undefined));

    // The database starts refusing one kind of timeline entry.
    await db.prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_escalation() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql`);
    await db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_escalation BEFORE INSERT ON "TimelineEntry" FOR EACH ROW WHEN (NEW.kind = 'case_escalated') EXECUTE FUNCTION refuse_escalation()`,
    );
    const before = await db.prisma.case.findUniqueOrThrow({ where: { id: intake.caseId } });

    const escalation = await handle.startUpdate(escalateCaseUpdate, {
      args: [{ actor: OPERATOR, reason: 'Situazione in peggioramento' }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
      updateId: `escalate-${intake.caseId}`,
    });
    const blocked = await until('the failure on the case row', async () => {
      const row = await db.prisma.case.findUniqueOrThrow({ where: { id: intake.caseId } });
      return row.persistenceFailedAt ? row : undefined;
    });
    expect(blocked.persistenceError).toBe('PrismaClientKnownRequestError P2039/P0001');
    expect(blocked.revision).toBe(before.revision);
    const view = await handle.query(getCaseQuery);
    expect(view.persistenceFailure).toMatchObject({ errorClass: 'PrismaClientKnownRequestError', code: 'P2039/P0001' });

    // Nothing else is accepted meanwhile, and nothing happens.
    const claim = await handle.executeUpdate(claimTaskUpdate, { args: [{ taskId: open.id, actor: OPERATOR }] }).catch((e: unknown) => e);
    expect(claim).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((claim as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('CASE_BLOCKED');
    expect((await handle.query(getCaseQuery)).tasks.find((t) => t.id === open.id)?.status).toBe('open');

    // Only a coordinator may retry; a retry before the fix fails again and says so.
    const wrongRole = await handle.executeUpdate(retryPersistenceUpdate, { args: [{ actor: OPERATOR }] }).catch((e: unknown) => e);
    expect(((wrongRole as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('WRONG_ROLE');
    const early = await handle.executeUpdate(retryPersistenceUpdate, { args: [{ actor: COORDINATOR }] }).catch((e: unknown) => e);
    expect(((early as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('PERSISTENCE_FAILED');

    // Fixed: the retry stores everything, the waiting escalation gets its answer, the case moves on.
    await db.prisma.$executeRawUnsafe(`DROP TRIGGER refuse_escalation ON "TimelineEntry"`);
    const retried: CaseView = await handle.executeUpdate(retryPersistenceUpdate, { args: [{ actor: COORDINATOR }] });
    expect(retried.persistenceFailure).toBeUndefined();
    const escalated = await escalation.result();
    expect(escalated.tasks.some((t) => t.type === 'escalation' && t.status === 'open')).toBe(true);
    const after = await db.prisma.case.findUniqueOrThrow({ where: { id: intake.caseId } });
    expect(after.persistenceFailedAt).toBeNull();
    expect(after.revision).toBeGreaterThan(before.revision);
    const kinds = (await db.prisma.timelineEntry.findMany({ where: { caseId: intake.caseId } })).map((t) => t.kind);
    expect(kinds).toEqual(expect.arrayContaining(['case_escalated', 'persistence_retried']));

    // One audit row per action, written with the change; the rejected ones wrote none.
    const audit = await db.prisma.auditEvent.findMany({ where: { caseId: intake.caseId, decisionId: { not: null } }, orderBy: { id: 'asc' } });
    expect(audit.filter((a) => a.action === 'case.escalate')).toEqual([
      expect.objectContaining({ userId: OPERATOR.userId, role: OPERATOR.role, outcome: 'success', requestId: `escalate-${intake.caseId}` }),
    ]);
    expect(audit.filter((a) => a.action === 'case.retry_persistence').map((a) => a.outcome)).toEqual(['error', 'success']);
    expect(audit.filter((a) => a.action === 'task.claim')).toHaveLength(0);

    // And the case works again.
    const claimed: CaseView = await handle.executeUpdate(claimTaskUpdate, { args: [{ taskId: open.id, actor: OPERATOR }] });
    expect(claimed.tasks.find((t) => t.id === open.id)?.status).toBe('claimed');
  });
});
