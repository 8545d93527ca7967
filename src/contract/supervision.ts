/**
 * The supervisor's reports as the API sends them (GET /api/supervision/stuck and /summary),
 * shared by the server and the console.
 */
import type { StuckKind } from '../domain';
export type { StuckKind };

export type SuggestedAction = 'reassign' | 'escalate' | 'add_note' | 'cancel' | 'check_worker' | 'fix_and_reset' | 'retry_persistence';

export interface StuckReason {
  kind: StuckKind;
  since: string;
  /** Italian, for the supervisor; codes and counts only, no personal data. */
  detail: string;
  suggestedActions: SuggestedAction[];
  taskId?: string;
  taskType?: string;
  activityType?: string;
  attempt?: number;
  lastError?: string;
}

export interface StuckCase {
  caseId: string;
  reference: string;
  status: string;
  step: string;
  comuneCode: string;
  riskLevel: string | null;
  /** The earliest `since` of its reasons. */
  since: string;
  stuckForMinutes: number;
  reasons: StuckReason[];
}

export interface WorkerStatus {
  taskQueue: string;
  polling: boolean;
  pollers: number;
  lastSeenAt: string | null;
}

/** Whether the Temporal part of the report is current. Error: class and code only, no message. */
export interface ScanStatus {
  ok: boolean;
  /** When a scan last succeeded; null when none has. */
  lastSuccessAt: string | null;
  /** When the scans started failing (the first failure after the last success). */
  failingSince?: string;
  error?: ScanError;
}

export interface ScanError {
  class: string;
  code?: string;
}

export interface StuckReport {
  generatedAt: string;
  /** When Temporal was last asked successfully (worker pollers, workflow and activity failures); null if never. */
  temporalCheckedAt: string | null;
  /**
   * `ok: false` when the last scan of Temporal failed: the engine-side reasons (no worker,
   * failing activities or workflow tasks) are then not visible, and the list holds only what the
   * read model shows, plus what the last good scan found.
   */
  temporalScan: ScanStatus;
  /** Null when Temporal could not be asked. */
  worker: WorkerStatus | null;
  /** Running cases checked against Temporal (at most `describeLimit`, stalest first). */
  described: number;
  items: StuckCase[];
}

/** GET /api/supervision/stuck: one page of the report, oldest stuck case first. */
export interface StuckReportPage extends StuckReport {
  limit: number;
  offset: number;
  /** All stuck cases; `items` is this page. */
  total: number;
}

/** Counts for the supervisor's dashboard, by grouped SQL over the read model (no personal data). */
export interface SupervisionSummary {
  generatedAt: string;
  byStatus: Record<string, number>;
  /** Running cases only. */
  byStep: Record<string, number>;
  /** Running cases by competent Comune (the Comune of the event until the handover decides). */
  byComune: Record<string, number>;
  slaBreaches: {
    /** Cases with at least one task past its due time. */
    overdueCases: number;
    /** Tasks past their due time, by task type. */
    overdueTasksByType: Record<string, number>;
    /** Take-charge tasks still unclaimed after their SLA. */
    takeChargeUnclaimed: number;
    /** Tasks that triggered an escalation and are still open. */
    escalatedOpenTasks: number;
  };
}
