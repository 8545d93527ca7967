import * as otel from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type ReadableSpan, type Span, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { RequestHandler } from 'express';
import { routeLabel } from '../api/metrics';
import type { AppConfig } from '../config';
import type { WorkerTracing } from '../temporal/worker';

/**
 * OpenTelemetry tracing across API → Temporal → activities, off unless OTEL_EXPORTER_OTLP_ENDPOINT
 * is set; spans go over OTLP/HTTP (JSON) to `<endpoint>/v1/traces`. One span per HTTP request
 * (named `POST /tasks/:id/complete`: the route with ids replaced), the Temporal client's spans
 * (start, signal, update) and the activities', parented through the workflow by
 * src/temporal/workflow-interceptors.ts (no workflow spans: see there why). The W3C `traceparent`
 * of an incoming request is continued.
 *
 * No personal data: span names are routes, workflow, update, signal and activity types; every span
 * leaves this process through `RedactingSpanProcessor`, which keeps only the attributes listed in
 * `ALLOWED_ATTRIBUTES` (ids and codes) and reduces exception events to the error's type.
 */

const ALLOWED_ATTRIBUTES = new Set([
  // The SDK's interceptors: Temporal ids (a case's workflow id is `pis-case-<uuid>`).
  'temporalWorkflowId',
  'run_id',
  'temporalActivityId',
  'temporalUpdateId',
  // Ours (HTTP).
  'http.request.method',
  'http.route',
  'http.response.status_code',
]);

/** A span as exported: only allowed attributes, exception events without message or stack. */
export function redactSpan(span: ReadableSpan): ReadableSpan {
  const attributes = Object.fromEntries(Object.entries(span.attributes).filter(([key]) => ALLOWED_ATTRIBUTES.has(key)));
  const events = span.events.map((event) => ({
    name: event.name,
    time: event.time,
    ...(event.attributes?.['exception.type'] !== undefined && { attributes: { 'exception.type': event.attributes['exception.type'] } }),
  }));
  // The span's other fields (context, parent, times, status) through its prototype.
  const status = { code: span.status.code };
  return Object.create(span, {
    attributes: { value: attributes, enumerable: true },
    events: { value: events, enumerable: true },
    status: { value: status, enumerable: true },
  }) as ReadableSpan;
}

export class RedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}
  onStart(span: Span, parentContext: otel.Context): void {
    this.next.onStart(span, parentContext);
  }
  onEnd(span: ReadableSpan): void {
    this.next.onEnd(redactSpan(span));
  }
  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

export interface Tracing {
  /** One server span per HTTP request, active while it is answered; mount first. */
  requestMiddleware: RequestHandler;
  /** For `new Client({ interceptors: { workflow } })`. */
  clientInterceptors: WorkflowClientInterceptor[];
  /** For `createCaseWorker({ tracing })`. */
  worker: WorkerTracing;
  /** Sends what is buffered (tests, shutdown). */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Another exporter instead of OTLP/HTTP to the configured endpoint (e.g. in-memory). */
  exporter?: SpanExporter;
}

/**
 * Starts the OpenTelemetry Node SDK (global tracer provider, AsyncLocalStorage context, W3C
 * propagation) when OTEL_EXPORTER_OTLP_ENDPOINT is set; `undefined` (nothing started) otherwise.
 * Once per process.
 */
export function startTracing(config: Pick<AppConfig, 'tracing'>, options: TracingOptions = {}): Tracing | undefined {
  const endpoint = config.tracing.otlpEndpoint;
  if (endpoint === undefined && options.exporter === undefined) return undefined;
  const exporter = options.exporter ?? new OTLPTraceExporter({ url: `${endpoint?.replace(/\/+$/, '')}/v1/traces` });
  const processor = new RedactingSpanProcessor(new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 }));
  const resource = new Resource({ 'service.name': config.tracing.serviceName, 'service.version': '0.1.0' });
  const sdk = new NodeSDK({
    resource,
    // No host or process detectors: the command line and host details stay out of the spans.
    autoDetectResources: false,
    spanProcessors: [processor],
    // No log or metric export through OpenTelemetry (metrics: /metrics).
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  const tracer = otel.trace.getTracer('pis-api');

  const requestMiddleware: RequestHandler = (req, res, next) => {
    const parent = otel.propagation.extract(otel.ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(`${req.method} request`, { kind: otel.SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
    res.once('finish', () => {
      const route = routeLabel(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: otel.SpanStatusCode.ERROR });
      span.end();
    });
    otel.context.with(otel.trace.setSpan(parent, span), () => next());
  };

  return {
    requestMiddleware,
    clientInterceptors: [new OpenTelemetryWorkflowClientInterceptor()],
    worker: {
      interceptors: {
        activity: [
          (ctx) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
            outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
        ],
      },
    },
    forceFlush: () => processor.forceFlush(),
    shutdown: () => sdk.shutdown(),
  };
}
