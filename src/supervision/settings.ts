import type { Step } from '../workflows/steps/registry';
import { STALL_ALLOWANCE_MINUTES } from '../workflows/steps/registry';

/**
 * Supervision thresholds. Configuration, not constants: the API deps may override any of them.
 * `stepAllowanceMinutes`: how long a case may stay in a step without any progress (decision,
 * claim, note, reminder...) before it counts as stuck. Waiting for the office opening is not a
 * lack of progress: `awaiting_handover` cases are judged against their handover time instead.
 */
export interface SupervisionSettings {
  stepAllowanceMinutes: Record<Step, number>;
  /** After the handover time, how long the case may wait for the handover task to appear. */
  handoverGraceMinutes: number;
  /** At most this many running cases are described in Temporal per request (stalest first). */
  describeLimit: number;
  /** Parallel describe calls. */
  describeConcurrency: number;
  /**
   * A poller not seen for this long no longer counts as a live worker. Idle pollers come back when
   * their long poll expires: the embedded dev server and deploy/temporal/dynamicconfig set
   * `matching.longPollExpirationInterval` to 20 s, so 35 s shows a stopped worker within a minute
   * (with the scan's age). Against a Temporal with the default (1 min), raise this to 75.
   */
  pollerStaleSeconds: number;
  /** The Temporal part of the stuck list is refreshed in the background once older than this. */
  temporalScanMaxAgeSeconds: number;
}

export const DEFAULT_SUPERVISION_SETTINGS: SupervisionSettings = {
  // Each step's own (src/workflows/steps/<step>/index.ts `stallAllowanceMinutes`).
  stepAllowanceMinutes: { ...STALL_ALLOWANCE_MINUTES },
  handoverGraceMinutes: 15,
  describeLimit: 200,
  describeConcurrency: 10,
  pollerStaleSeconds: 35,
  temporalScanMaxAgeSeconds: 15,
};

export function supervisionSettings(overrides: Partial<SupervisionSettings> = {}): SupervisionSettings {
  return {
    ...DEFAULT_SUPERVISION_SETTINGS,
    ...overrides,
    stepAllowanceMinutes: { ...DEFAULT_SUPERVISION_SETTINGS.stepAllowanceMinutes, ...overrides.stepAllowanceMinutes },
  };
}
