/** What each protocol revision changes, as pure checks over the revision a case runs. */

/** The revision new cases start on. */
export const CURRENT_PROTOCOL_REVISION = 2;

/** Revision 2: the risk check asks about assisted violence (required), which can start the anti-violence branch. */
export function asksAssistedViolence(protocolRevision: number | undefined): boolean {
  return (protocolRevision ?? 1) >= 2;
}
