import type { Client, Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CASE_WORKFLOW_TYPE } from '../workflows/definitions';

/**
 * Worker deployment versioning (docs/versioning.md, "large revisions"): workers declare a
 * deployment name and build id; new cases go to the deployment's current (or ramping) version
 * and stay pinned to the version they started on. These helpers wrap the WorkflowService calls
 * that move the routing, and read which version each open case runs on.
 */

export interface DeploymentVersion {
  deploymentName: string;
  buildId: string;
}

export interface DeploymentTarget {
  connection: Connection;
  namespace: string;
  deploymentName: string;
  /** Who made the change, recorded by the server (e.g. `deploy-script@host`). */
  identity?: string;
}

export const versionKey = (v: DeploymentVersion): string => `${v.deploymentName}:${v.buildId}`;

function versionOf(v: { deploymentName?: string | null; buildId?: string | null } | null | undefined): DeploymentVersion | undefined {
  return v?.deploymentName && v.buildId ? { deploymentName: v.deploymentName, buildId: v.buildId } : undefined;
}

/** Routes new cases to this build. Old pinned cases stay on the version they started on. */
export async function setCurrentVersion(t: DeploymentTarget, buildId: string): Promise<void> {
  await t.connection.workflowService.setWorkerDeploymentCurrentVersion({
    namespace: t.namespace,
    deploymentName: t.deploymentName,
    buildId,
    identity: t.identity,
  });
}

/** Sends `percentage` % of new cases to this build (the rest to the current version); 0 stops the ramp. */
export async function setRampingVersion(t: DeploymentTarget, buildId: string, percentage: number): Promise<void> {
  if (!(percentage >= 0 && percentage <= 100)) throw new Error('percentage must be between 0 and 100');
  await t.connection.workflowService.setWorkerDeploymentRampingVersion({
    namespace: t.namespace,
    deploymentName: t.deploymentName,
    buildId,
    percentage,
    identity: t.identity,
  });
}

export interface DeploymentStatus {
  deploymentName: string;
  current?: DeploymentVersion;
  ramping?: DeploymentVersion;
  rampingPercentage: number;
  versions: Array<DeploymentVersion & { status: string; drainage?: string }>;
}

export async function describeDeployment(t: DeploymentTarget): Promise<DeploymentStatus> {
  const { workerDeploymentInfo: info } = await t.connection.workflowService.describeWorkerDeployment({
    namespace: t.namespace,
    deploymentName: t.deploymentName,
  });
  const routing = info?.routingConfig;
  const enumName = (e: Record<number, string>, v: number | null | undefined, prefix: string) =>
    v === null || v === undefined ? undefined : (e[v] ?? String(v)).replace(prefix, '').toLowerCase();
  return {
    deploymentName: t.deploymentName,
    current: versionOf(routing?.currentDeploymentVersion),
    ramping: versionOf(routing?.rampingDeploymentVersion),
    rampingPercentage: routing?.rampingVersionPercentage ?? 0,
    versions: (info?.versionSummaries ?? []).flatMap((s) => {
      const v = versionOf(s.deploymentVersion);
      if (!v) return [];
      return [
        {
          ...v,
          status: enumName(temporal.api.enums.v1.WorkerDeploymentVersionStatus, s.status, 'WORKER_DEPLOYMENT_VERSION_STATUS_') ?? 'unknown',
          drainage: enumName(temporal.api.enums.v1.VersionDrainageStatus, s.drainageStatus ?? s.drainageInfo?.status, 'VERSION_DRAINAGE_STATUS_'),
        },
      ];
    }),
  };
}

export interface OpenCaseVersion {
  workflowId: string;
  runId: string;
  /** Undefined: the case started on an unversioned worker. */
  version?: DeploymentVersion;
  behavior: 'pinned' | 'auto_upgrade' | 'unversioned';
}

/** Set by the server on versioned workflows (system search attributes). */
const SA_DEPLOYMENT_VERSION = defineSearchAttributeKey('TemporalWorkerDeploymentVersion', SearchAttributeType.KEYWORD);
const SA_VERSIONING_BEHAVIOR = defineSearchAttributeKey('TemporalWorkflowVersioningBehavior', SearchAttributeType.KEYWORD);

/** `name:buildId` (current servers) or `name.buildId` (older ones). */
function parseVersionKey(value: string | undefined): DeploymentVersion | undefined {
  if (!value) return undefined;
  const sep = value.includes(':') ? value.indexOf(':') : value.lastIndexOf('.');
  return sep > 0 ? { deploymentName: value.slice(0, sep), buildId: value.slice(sep + 1) } : undefined;
}

/**
 * Open cases (optionally of one task queue) and the deployment version each one runs on, from
 * visibility (list results carry no versioning info, the server's search attributes do).
 */
export async function openCasesByVersion(client: Client, opts: { taskQueue?: string; limit?: number } = {}): Promise<OpenCaseVersion[]> {
  if (opts.taskQueue !== undefined && !/^[\w.-]+$/.test(opts.taskQueue)) throw new Error('invalid task queue name');
  const query =
    `WorkflowType = '${CASE_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'` + (opts.taskQueue ? ` AND TaskQueue = '${opts.taskQueue}'` : '');
  const out: OpenCaseVersion[] = [];
  for await (const wf of client.workflow.list({ query, pageSize: 200 })) {
    const behavior = (wf.typedSearchAttributes.get(SA_VERSIONING_BEHAVIOR) ?? '').toLowerCase();
    out.push({
      workflowId: wf.workflowId,
      runId: wf.runId,
      version: parseVersionKey(wf.typedSearchAttributes.get(SA_DEPLOYMENT_VERSION)),
      behavior: behavior.startsWith('pinned') ? 'pinned' : behavior.startsWith('auto') ? 'auto_upgrade' : 'unversioned',
    });
    if (opts.limit !== undefined && out.length >= opts.limit) break;
  }
  return out;
}

/** Versions (`name:buildId`) with a worker that polled the task queue for workflow tasks recently. */
export async function polledVersions(connection: Connection, namespace: string, taskQueue: string, freshMs: number, now = Date.now()): Promise<string[]> {
  const response = await connection.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  const keys = (response.pollers ?? []).flatMap((p) => {
    const v = versionOf(p.deploymentOptions);
    const seen = p.lastAccessTime?.seconds === undefined || p.lastAccessTime.seconds === null ? 0 : Number(p.lastAccessTime.seconds) * 1000;
    return v && now - seen <= freshMs ? [versionKey(v)] : [];
  });
  return [...new Set(keys)].sort();
}
