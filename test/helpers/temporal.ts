import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/workflows/search-attributes';
import { connectNativeConnection, connectTemporal, type TemporalClientHandle } from '../../src/temporal/client';
import type { AppConfig } from '../../src/config';
import { readTestState } from '../setup/state';

/**
 * Access to the Temporal services that global setup started for the whole run: the shared dev
 * server (visibility, search attributes, versioning) and the provisioned time-skipping test
 * server binary (timer-heavy workflow tests).
 */

function setting(envName: string, stateValue: (s: NonNullable<ReturnType<typeof readTestState>>) => string): string {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const state = readTestState();
  if (!state) throw new Error(`${envName} is not set: run the tests through jest so global setup starts the stack`);
  return stateValue(state);
}

export function testTemporalAddress(): string {
  return setting('TEST_TEMPORAL_ADDRESS', (s) => s.temporalAddress);
}

export function testNamespace(): string {
  return setting('TEST_TEMPORAL_NAMESPACE', (s) => s.temporalNamespace);
}

export function testServerPath(): string {
  return setting('TEST_TEMPORAL_TEST_SERVER_PATH', (s) => s.temporalTestServerPath);
}

export function temporalCliPath(): string {
  return setting('TEST_TEMPORAL_CLI_PATH', (s) => s.temporalCliPath);
}

/** Suites share one dev server: a task queue per suite (and per run) keeps their workers apart. */
export function uniqueTaskQueue(suiteName: string): string {
  const slug = suiteName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `test-${slug}-${randomUUID().slice(0, 8)}`;
}

function testSettings(address: string): AppConfig['temporal'] {
  return {
    address,
    namespace: testNamespace(),
    taskQueue: 'unused-in-tests',
    embeddedPort: 0,
    embeddedUiPort: 0,
  };
}

/** A client on the shared dev server; close `connection` in afterAll. */
export function testClient(dataConverter?: DataConverter): Promise<TemporalClientHandle> {
  const address = testTemporalAddress();
  return connectTemporal(testSettings(address), { dataConverter });
}

/** A worker connection to the shared dev server; close it in afterAll. */
export function testNativeConnection(): Promise<NativeConnection> {
  return connectNativeConnection(testSettings(testTemporalAddress()));
}

/**
 * Time-skipping environment on the provisioned test-server binary (never the SDK download). Call
 * `teardown()` in afterAll; should the Jest worker exit without it (a killed run), the server
 * process goes down with the worker instead of lingering.
 */
export function createTimeSkippingEnv(dataConverter?: DataConverter, executable = testServerPath()): Promise<TestWorkflowEnvironment> {
  killTestServersOnExit(executable);
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: executable } },
    client: dataConverter ? { dataConverter } : undefined,
  });
}

const guarded = new Set<string>();

/** The SDK spawns the server itself and does not expose its PID: find our children running it. */
function killTestServersOnExit(executable: string): void {
  if (process.platform !== 'linux' || guarded.has(executable)) return;
  guarded.add(executable);
  const target = fs.realpathSync(executable);
  process.once('exit', () => {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === process.pid && fs.readlinkSync(`/proc/${entry}/exe`) === target) process.kill(Number(entry), 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
  });
}

/** The test server knows no custom search attributes until they are added through the operator API. */
export async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const searchAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const key of ALL_SEARCH_ATTRIBUTES) {
    searchAttributes[key.name] = temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}` as keyof typeof temporal.api.enums.v1.IndexedValueType];
  }
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
}

