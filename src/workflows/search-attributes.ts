import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Typed search attributes of a case workflow. They carry no personal data: codes and enums only,
 * so supervisors can find stuck and overdue cases in Temporal's visibility.
 */
export const SA_STATUS = defineSearchAttributeKey('PisStatus', SearchAttributeType.KEYWORD);
export const SA_STEP = defineSearchAttributeKey('PisStep', SearchAttributeType.KEYWORD);
/** ISTAT code of the competent Comune (never a name or an address). */
export const SA_COMUNE = defineSearchAttributeKey('PisComune', SearchAttributeType.KEYWORD);
export const SA_RISK = defineSearchAttributeKey('PisRiskLevel', SearchAttributeType.KEYWORD);
export const SA_CATEGORIES = defineSearchAttributeKey('PisCategories', SearchAttributeType.KEYWORD_LIST);
export const SA_OVERDUE_SINCE = defineSearchAttributeKey('PisOverdueSince', SearchAttributeType.DATETIME);
export const SA_OPEN_TASK_ROLES = defineSearchAttributeKey('PisOpenTaskRoles', SearchAttributeType.KEYWORD_LIST);
/**
 * Protocol revision a case runs (`'2'`, ...). Unset on cases started before revisions were
 * recorded, i.e. on revision 1: `PisProtocolRevision IS NULL` finds the cases that still need
 * the old code path (scripts/versioning-status.ts).
 */
export const SA_PROTOCOL_REVISION = defineSearchAttributeKey('PisProtocolRevision', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [
  SA_STATUS,
  SA_STEP,
  SA_COMUNE,
  SA_RISK,
  SA_CATEGORIES,
  SA_OVERDUE_SINCE,
  SA_OPEN_TASK_ROLES,
  SA_PROTOCOL_REVISION,
] as const;
