import { patched } from '@temporalio/workflow';

/**
 * Protocol revisions shipped with `patched()` (docs/versioning.md). A case runs one revision from
 * start to end: it is decided once, in the first workflow task of a new case, and kept in the
 * state (so it survives continue-as-new). Cases started before revisions were recorded have none:
 * they run revision 1.
 *
 * Revision 2 (patch `risk-check-assisted-violence`): the risk check asks whether minors witnessed
 * violence (violenza assistita); a yes starts the anti-violence branch and flags minors.
 *
 * Keep this module tiny: the versioning test swaps it for a fixture to build the genuine
 * pre-patch command sequence (no marker, no revision).
 */
export const ASSISTED_VIOLENCE_PATCH = 'risk-check-assisted-violence';

export function startingProtocolRevision(): number | undefined {
  // New case: records the patch marker and answers true. Replaying a case that started on the
  // old code: no marker in its history, so false, and the case keeps the old rules.
  return patched(ASSISTED_VIOLENCE_PATCH) ? 2 : undefined;
}
