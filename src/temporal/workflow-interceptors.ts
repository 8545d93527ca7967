/**
 * Workflow-side trace propagation, bundled only when tracing is on (src/temporal/worker.ts); not a
 * workflow. It only copies the trace header (`_tracer-data`, put there by the SDK's OpenTelemetry
 * client interceptor) from what reached the workflow to the activities it schedules:
 * - the header of the last update or signal goes to the next `persistCase`, the write that stores
 *   what that action changed (scheduled by the case's persistence loop, not by the handler), so a
 *   task completion is one trace from the HTTP request through the update to that activity;
 * - every other activity gets the header of the workflow's start (the intake request).
 *
 * Why not the SDK's own workflow interceptors (workflow spans through a sink): on histories
 * recorded without them they add a yield before each activity (SDK flag
 * `OpenTelemetryInterceporsAvoidsExtraYields` absent) and running cases fail to replay;
 * test/replay/tracing-replay.test.ts shows this one replays every committed history. It adds no
 * command, timer or await: only a header, which replay does not compare.
 */
import type { Payload } from '@temporalio/common';
import type {
  ActivityInput,
  ContinueAsNewInput,
  Next,
  SignalInput,
  UpdateInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** The header of the SDK's OpenTelemetry interceptors (@temporalio/interceptors-opentelemetry). */
export const TRACE_HEADER = '_tracer-data';
/** The activity that stores what an update or signal changed. */
const PERSIST_ACTIVITY = 'persistCase';

export const interceptors = (): WorkflowInterceptors => {
  let started: Payload | undefined;
  let pending: Payload | undefined;
  const inbound: WorkflowInboundCallsInterceptor = {
    execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) {
      started = input.headers[TRACE_HEADER];
      return next(input);
    },
    handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>) {
      pending = input.headers[TRACE_HEADER] ?? pending;
      return next(input);
    },
    handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>) {
      pending = input.headers[TRACE_HEADER] ?? pending;
      return next(input);
    },
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
      let header = started;
      if (input.activityType === PERSIST_ACTIVITY && pending !== undefined) {
        header = pending;
        pending = undefined;
      }
      if (header === undefined || input.headers[TRACE_HEADER] !== undefined) return next(input);
      return next({ ...input, headers: { ...input.headers, [TRACE_HEADER]: header } });
    },
    continueAsNew(input: ContinueAsNewInput, next: Next<WorkflowOutboundCallsInterceptor, 'continueAsNew'>) {
      if (started === undefined || input.headers[TRACE_HEADER] !== undefined) return next(input);
      return next({ ...input, headers: { ...input.headers, [TRACE_HEADER]: started } });
    },
  };
  return { inbound: [inbound], outbound: [outbound] };
};
