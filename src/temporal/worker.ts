import { bundleWorkflowCode, Worker, type NativeConnection, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { CaseActivities } from '../workflows/activity-types';
import { FAILURE_CONVERTER_PATH } from './data-converter';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Workflow interceptor modules of a traced bundle: trace headers passed on to activities, nothing else. */
export const TRACING_WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('./workflow-interceptors')];

const bundles = new Map<boolean, Promise<WorkflowBundle>>();

/**
 * The workflow bundle, built once per process (webpack takes seconds; tests start many workers).
 * `tracing`: with the trace-propagating workflow interceptors (headers only, no commands).
 */
export function caseWorkflowBundle(opts: { tracing?: boolean } = {}): Promise<WorkflowBundle> {
  const tracing = opts.tracing === true;
  let bundle = bundles.get(tracing);
  if (bundle === undefined) {
    bundle = bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: quietBundlerLogger,
      ...(tracing && { workflowInterceptorModules: TRACING_WORKFLOW_INTERCEPTOR_MODULES }),
    });
    bundles.set(tracing, bundle);
  }
  return bundle;
}

/** What a traced worker adds (src/telemetry/tracing.ts): the activity interceptors. */
export interface WorkerTracing {
  interceptors: NonNullable<WorkerOptions['interceptors']>;
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: CaseActivities;
  dataConverter?: DataConverter;
  /** Seconds the worker waits for running activities on shutdown. */
  shutdownGraceSeconds?: number;
  /**
   * Worker deployment version (TEMPORAL_DEPLOYMENT_NAME + TEMPORAL_BUILD_ID). When set, the
   * worker uses deployment-based versioning and case workflows are PINNED: a case finishes on the
   * build it started on (docs/versioning.md). Unset: an unversioned worker.
   */
  deployment?: { name: string; buildId: string };
  /** Another build of the workflow code (tests of version rollouts); default: this checkout's. */
  workflowBundle?: WorkflowBundle;
  /** Tracing on (OTEL_EXPORTER_OTLP_ENDPOINT): the traced bundle, interceptors and sinks. */
  tracing?: WorkerTracing;
}

export async function createCaseWorker(options: CaseWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle ?? (await caseWorkflowBundle({ tracing: options.tracing !== undefined })),
    activities: options.activities,
    ...(options.tracing && { interceptors: options.tracing.interceptors }),
    dataConverter: options.dataConverter,
    shutdownGraceTime: `${options.shutdownGraceSeconds ?? 10} seconds`,
    workerDeploymentOptions: options.deployment
      ? {
          version: { deploymentName: options.deployment.name, buildId: options.deployment.buildId },
          useWorkerVersioning: true,
          defaultVersioningBehavior: 'PINNED',
        }
      : undefined,
  });
}
