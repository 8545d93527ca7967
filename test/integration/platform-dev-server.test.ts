import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startTemporalDevServer, type TemporalDevServerHandle } from '../../src/embedded/temporal';
import { connectNativeConnection, connectTemporal } from '../../src/temporal/client';
import { ALL_SEARCH_ATTRIBUTES, SA_STATUS } from '../../src/workflows/search-attributes';
import { temporalCliPath, testClient, uniqueTaskQueue } from '../helpers/temporal';
import { proceedSignal } from '../fixtures/workflows';
import { freePort } from '../../src/embedded/ports';
import { isAlive } from '../../src/embedded/processes';

jest.setTimeout(180_000);

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../fixtures/workflows'), logger: quietLogger() });
});

describe('shared dev server (global setup)', () => {
  it('has every search attribute registered with its type', async () => {
    const { connection } = await testClient();
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const key of ALL_SEARCH_ATTRIBUTES) {
        const registered = customAttributes[key.name];
        expect({ name: key.name, type: registered === undefined ? undefined : IndexedValueType[registered] }).toEqual({
          name: key.name,
          type: `INDEXED_VALUE_TYPE_${key.type}`,
        });
      }
    } finally {
      await connection.close();
    }
  });

  it('accepts typed search attributes on a workflow', async () => {
    const { client, connection } = await testClient();
    try {
      const handle = await client.workflow.start('waitForProceed', {
        taskQueue: uniqueTaskQueue('platform sa'),
        workflowId: `platform-sa-${Date.now()}`,
        typedSearchAttributes: [{ key: SA_STATUS, value: 'OPEN' }],
      });
      const description = await handle.describe();
      expect(description.typedSearchAttributes.get(SA_STATUS)).toBe('OPEN');
      await handle.terminate('test done');
    } finally {
      await connection.close();
    }
  });
});

describe('startTemporalDevServer', () => {
  let dataDir: string;
  let server: TemporalDevServerHandle | undefined;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pis-devserver-'));
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps workflows and search attributes across a restart on the same db file', async () => {
    const cliPath = temporalCliPath();
    const settings = { namespace: 'pis-persist', taskQueue: uniqueTaskQueue('persist'), embeddedPort: 0, embeddedUiPort: 0 };
    const workflowId = `persist-${Date.now()}`;

    let started = Date.now();
    server = await startTemporalDevServer({ cliPath, dataDir, port: await freePort(), namespace: settings.namespace });
    const coldMs = Date.now() - started;
    expect(fs.existsSync(server.dbFile)).toBe(true);
    {
      const { client, connection } = await connectTemporal(settings, { address: server.address });
      await client.workflow.start('waitForProceed', {
        taskQueue: settings.taskQueue,
        workflowId,
        typedSearchAttributes: [{ key: SA_STATUS, value: 'WAITING' }],
      });
      await connection.close();
    }
    const firstPid = server.pid;
    await server.stop();
    expect(isAlive(firstPid)).toBe(false);

    started = Date.now();
    server = await startTemporalDevServer({ cliPath, dataDir, port: await freePort(), namespace: settings.namespace });
    const warmMs = Date.now() - started;
    process.stderr.write(`dev server start: cold ${coldMs} ms, restart ${warmMs} ms\n`);

    const { client, connection } = await connectTemporal(settings, { address: server.address });
    const nativeConnection = await connectNativeConnection(settings, { address: server.address });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: settings.namespace });
      expect(Object.keys(customAttributes)).toEqual(expect.arrayContaining(ALL_SEARCH_ATTRIBUTES.map((k) => k.name)));

      const handle = client.workflow.getHandle(workflowId);
      const before = await handle.describe();
      expect(before.status.name).toBe('RUNNING');
      expect(before.typedSearchAttributes.get(SA_STATUS)).toBe('WAITING');

      const worker = await Worker.create({
        connection: nativeConnection,
        namespace: settings.namespace,
        taskQueue: settings.taskQueue,
        workflowBundle: bundle,
      });
      const result = await worker.runUntil(async () => {
        await handle.signal(proceedSignal, 'after restart');
        return (await handle.result()) as string;
      });
      expect(result).toBe('proceeded: after restart');
    } finally {
      await nativeConnection.close();
      await connection.close();
    }
  });

  it('fails with the server output when the CLI cannot start', async () => {
    // A port already taken by something that is not Temporal.
    const sockets = new Set<net.Socket>();
    const blocker = net.createServer((socket) => sockets.add(socket));
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)),
    );
    try {
      await expect(
        startTemporalDevServer({ cliPath: temporalCliPath(), dataDir, port, namespace: 'default', startTimeoutMs: 30_000 }),
      ).rejects.toThrow(/did not become ready: temporal server start-dev exited early[\s\S]*Last server output:[\s\S]*address already in use/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});


function quietLogger() {
  const noop = () => undefined;
  return { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };
}
