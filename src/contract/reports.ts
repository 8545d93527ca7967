/**
 * Monitoring reports and person history: the shapes of the answers, shared by API and console.
 * Aggregates only: no row of a report names a case or a person.
 */

export const MONITORING_DIMENSIONS = ['period', 'targetGroup', 'comune', 'reportingForce', 'outcome'] as const;
export type MonitoringDimension = (typeof MONITORING_DIMENSIONS)[number];

export const MONITORING_DIMENSION_LABELS: Record<MonitoringDimension, string> = {
  period: 'Mese',
  targetGroup: 'Target',
  comune: 'Comune',
  reportingForce: 'Forza segnalante',
  outcome: 'Esito',
};

export const RESPONSE_TIMES = ['takeCharge', 'onSite', 'handoverAck'] as const;
export type ResponseTimeKey = (typeof RESPONSE_TIMES)[number];

export const RESPONSE_TIME_LABELS: Record<ResponseTimeKey, string> = {
  takeCharge: 'Segnalazione → presa in carico',
  onSite: 'Segnalazione → sul posto',
  handoverAck: 'Segnalazione → passaggio al Comune confermato',
};

/** A count of cases as published: exact, "<3" (1 or 2 cases) or "n.d." (hidden so that no "<3" can be recomputed). */
export type MonitoringCount = number | '<3' | 'n.d.';

/** Minutes; null when fewer than 3 cases were measured (or the row is suppressed). */
export interface ResponseTimeStats {
  median: number | null;
  p90: number | null;
  /** How many cases were measured. */
  cases: MonitoringCount;
}

export interface MonitoringColumn {
  key: string;
  label: string;
}

export interface MonitoringRow {
  /** One entry per grouping asked for: the code and its Italian label. */
  group: Partial<Record<MonitoringDimension, { code: string; label: string }>>;
  counts: Record<string, MonitoringCount>;
  times: Record<ResponseTimeKey, ResponseTimeStats>;
}

export interface MonitoringReport {
  /** Whole months, inclusive (YYYY-MM, Europe/Rome). */
  from: string;
  to: string;
  groupBy: MonitoringDimension[];
  ambito: string | null;
  generatedAt: string;
  columns: MonitoringColumn[];
  rows: MonitoringRow[];
  totals: Omit<MonitoringRow, 'group'>;
  /** Which rows of the report are left out and why (e.g. legal milestones not tracked yet). */
  notes: string[];
}

export interface PersonSearchHit {
  personId: string;
  caseId: string;
  caseReference: string;
  reportedAt: string;
  firstName: string | null;
  lastName: string | null;
  birthYear: number | null;
  nationality: string | null;
  role: string;
}

export interface EarlierCase {
  caseId: string;
  reference: string;
  reportedAt: string;
  closedAt: string | null;
  categories: string[];
  outcomeCode: string | null;
}

export interface PersonLinkItem {
  id: string;
  personId: string;
  earlierPersonId: string;
  linkedById: string;
  linkedAt: string;
  /** Null when the earlier case is outside the reader's scope. */
  earlierCase: EarlierCase | null;
}
