import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { sleepFor } from '../fixtures/workflows';
import { createTimeSkippingEnv, testServerPath, uniqueTaskQueue } from '../helpers/temporal';

jest.setTimeout(120_000);

describe('time-skipping environment on the provisioned test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('uses the binary provisioned by global setup', () => {
    expect(testServerPath()).toMatch(/temporal-test-server/);
  });

  it('runs a workflow that sleeps one day in a few seconds', async () => {
    const taskQueue = uniqueTaskQueue('time skipping');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../fixtures/workflows'),
    });
    const before = await env.currentTimeMs();
    const startedAt = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute<typeof sleepFor>('sleepFor', { args: ['1 day'], taskQueue, workflowId: `sleep-${Date.now()}` }),
    );
    expect(result).toBe('woke up');
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    expect(Date.now() - startedAt).toBeLessThan(30_000);
  });
});
