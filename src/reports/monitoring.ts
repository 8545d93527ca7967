import { z } from 'zod';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { CATEGORY_LABELS, FORCE_LABELS, FORM_ENUM_LABELS, OUTCOME_LABELS } from '../contract/labels';
import {
  MONITORING_DIMENSIONS,
  RESPONSE_TIMES,
  type MonitoringColumn,
  type MonitoringDimension,
  type MonitoringReport,
  type MonitoringRow,
  type ResponseTimeKey,
  type ResponseTimeStats,
} from '../contract/reports';
import { RESOURCE_TYPES } from '../workflows/steps/intervention';
import { SMALL, SUPPRESSION_THRESHOLD, suppressCounts, suppressTotal, type SuppressedCount } from './suppression';

/**
 * The monitoring report for funders and planning (LEPS PIS monitoring: figures by target group,
 * Comune, outcome, response times). Read from the read model only; aggregates only.
 *
 * Definitions (every time is measured from the police report, `Case.reportedAt`):
 * - taken in charge: the `take_charge` task claimed by an emergency operator (`claimedAt`; its
 *   completion when no claim was recorded);
 * - on site: the `risk_check` task completed, the structured assessment the operator makes with
 *   the person on site (the take-charge form's ETA is an estimate, not a measure);
 * - handover acknowledged: the `handover_ack` (or `external_handover`) task completed;
 * - take-charge SLA breached: the `take_charge` task was claimed after its due time (the
 *   take-charge SLA the case started with), or is still unclaimed past it;
 * - overdue tasks: cases with at least one task completed after, or still open past, its due time;
 * - legal milestones (Milestone table: art. 403, Codice Rosso, MSNA terms): cases with at least
 *   one milestone met, and cases with at least one missed;
 * - resources: cases with at least one activation of that type.
 * Median: the middle measure (the mean of the two middle ones for an even count); 90th percentile:
 * nearest rank (the ⌈0.9·n⌉-th smallest measure). Both in whole minutes, rounded.
 * A case counts in the month of its report (Europe/Rome), in the Comune competent for it (the
 * Comune of the event until one is decided), under each of its target groups, and under its
 * outcome (`open` while it runs). Suppression: ./suppression.ts.
 */

export const TIME_ZONE = 'Europe/Rome';
export const MAX_MONTHS = 24;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const OPEN_OUTCOME = 'open';

export const COUNT_COLUMNS: MonitoringColumn[] = [
  { key: 'cases', label: 'Casi' },
  { key: 'takeChargeSlaBreached', label: 'SLA presa in carico superato' },
  { key: 'overdueTasks', label: 'Casi con attività scadute' },
  { key: 'milestonesMet', label: 'Casi con scadenze di legge rispettate' },
  { key: 'milestonesMissed', label: 'Casi con scadenze di legge mancate' },
  ...RESOURCE_TYPES.map((t) => ({ key: `resource:${t}`, label: `Risorse: ${FORM_ENUM_LABELS[t] ?? t}` })),
];

// ------------------------------------------------------------------------------------ query

const month = z.string().regex(MONTH, 'mese nel formato AAAA-MM');

export const monitoringQuery = z
  .object({
    from: month.optional().describe('Primo mese (AAAA-MM), incluso; default: 11 mesi prima di `to`'),
    to: month.optional().describe('Ultimo mese (AAAA-MM), incluso; default: il mese corrente'),
    groupBy: z
      .string()
      .max(200)
      .optional()
      .describe(`Raggruppamenti separati da virgola: ${MONITORING_DIMENSIONS.join(', ')}; default: period`),
    ambito: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'identificativo di Ambito').optional().describe('Solo i casi di questo Ambito'),
  })
  .strict();

export interface MonitoringFilters {
  from: string;
  to: string;
  groupBy: MonitoringDimension[];
  ambito?: string;
}

export interface FilterIssue {
  path: string;
  message: string;
}

function monthIndex(m: string): number {
  const [, y, mm] = MONTH.exec(m) ?? [];
  return Number(y) * 12 + Number(mm) - 1;
}

function monthOf(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The month (YYYY-MM) of an instant on the Italian wall clock. */
export function romeMonth(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}`;
}

/** The instant a month starts in Italy (midnight of its first day, Europe/Rome). */
export function romeMonthStart(m: string): Date {
  const i = monthIndex(m);
  const utcGuess = Date.UTC(Math.floor(i / 12), i % 12, 1);
  // Italy is UTC+1 or UTC+2; the first of a month never falls on a DST change, so one offset is right.
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', hourCycle: 'h23' }).format(new Date(utcGuess)));
  return new Date(utcGuess - hour * 3_600_000);
}

/** Validated filters, or the issues naming each bad field (the route answers 422). */
export function monitoringFilters(query: unknown, now: Date): MonitoringFilters | FilterIssue[] {
  const parsed = monitoringQuery.safeParse(query ?? {});
  if (!parsed.success) {
    return parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(query)', message: i.message }));
  }
  const q = parsed.data;
  const to = q.to ?? romeMonth(now);
  const from = q.from ?? monthOf(monthIndex(to) - 11);
  const issues: FilterIssue[] = [];
  if (monthIndex(from) > monthIndex(to)) issues.push({ path: 'from', message: '`from` è successivo a `to`' });
  else if (monthIndex(to) - monthIndex(from) + 1 > MAX_MONTHS) issues.push({ path: 'to', message: `periodo oltre ${MAX_MONTHS} mesi` });
  const groupBy: MonitoringDimension[] = [];
  for (const g of (q.groupBy ?? 'period').split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    if (!(MONITORING_DIMENSIONS as readonly string[]).includes(g)) {
      issues.push({ path: 'groupBy', message: `raggruppamento sconosciuto: ammessi ${MONITORING_DIMENSIONS.join(', ')}` });
      break;
    }
    if (!groupBy.includes(g as MonitoringDimension)) groupBy.push(g as MonitoringDimension);
  }
  if (issues.length > 0) return issues;
  return { from, to, groupBy: MONITORING_DIMENSIONS.filter((d) => groupBy.includes(d)), ...(q.ambito !== undefined && { ambito: q.ambito }) };
}

// ------------------------------------------------------------------------------------ facts

/** What the report needs of one case: codes and instants, nothing personal. */
export interface CaseFacts {
  reportedAt: Date;
  categories: string[];
  comuneCode: string;
  reportingForce: string;
  outcome: string;
  takenInChargeAt: Date | null;
  onSiteAt: Date | null;
  handoverAckAt: Date | null;
  takeChargeSlaBreached: boolean;
  overdueTasks: boolean;
  milestonesMet: boolean;
  milestonesMissed: boolean;
  resourceTypes: string[];
}

const FACTS_SELECT = {
  reportedAt: true,
  categories: true,
  competentComuneCode: true,
  eventComuneCode: true,
  reportingForce: true,
  outcomeCode: true,
  tasks: { select: { type: true, status: true, claimedAt: true, completedAt: true, dueAt: true } },
  activations: { select: { kind: true } },
  milestones: { select: { state: true } },
} satisfies Prisma.CaseSelect;

type FactsRow = Prisma.CaseGetPayload<{ select: typeof FACTS_SELECT }>;

export function factsOf(c: FactsRow, now: Date): CaseFacts {
  const task = (...types: string[]) => c.tasks.find((t) => types.includes(t.type) && t.status === 'completed') ?? null;
  const takeCharge = c.tasks.find((t) => t.type === 'take_charge') ?? null;
  const claimed = takeCharge === null ? null : (takeCharge.claimedAt ?? takeCharge.completedAt);
  const late = (t: (typeof c.tasks)[number]) => t.dueAt !== null && t.status !== 'cancelled' && (t.completedAt ?? (t.status === 'completed' ? t.dueAt : now)) > t.dueAt;
  return {
    reportedAt: c.reportedAt,
    categories: [...new Set(c.categories)],
    comuneCode: c.competentComuneCode ?? c.eventComuneCode,
    reportingForce: c.reportingForce,
    outcome: c.outcomeCode ?? OPEN_OUTCOME,
    takenInChargeAt: claimed,
    onSiteAt: task('risk_check')?.completedAt ?? null,
    handoverAckAt: task('handover_ack', 'external_handover')?.completedAt ?? null,
    takeChargeSlaBreached: takeCharge !== null && takeCharge.dueAt !== null && (claimed ?? now) > takeCharge.dueAt,
    overdueTasks: c.tasks.some(late),
    milestonesMet: c.milestones.some((m) => m.state === 'met'),
    milestonesMissed: c.milestones.some((m) => m.state === 'missed'),
    resourceTypes: [...new Set(c.activations.map((a) => a.kind))],
  };
}

export async function loadCaseFacts(prisma: PrismaClient, scope: Prisma.CaseWhereInput, f: MonitoringFilters, now: Date): Promise<CaseFacts[]> {
  const start = romeMonthStart(f.from);
  const end = romeMonthStart(monthOf(monthIndex(f.to) + 1));
  const rows = await prisma.case.findMany({
    where: { AND: [scope, { reportedAt: { gte: start, lt: end } }, ...(f.ambito !== undefined ? [{ ambitoId: f.ambito }] : [])] },
    select: FACTS_SELECT,
  });
  return rows.map((r) => factsOf(r, now));
}

// ------------------------------------------------------------------------------------ table

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
}

const minutesBetween = (a: Date, b: Date | null): number | null => (b === null ? null : (b.getTime() - a.getTime()) / 60_000);

function measures(cases: CaseFacts[], key: ResponseTimeKey): number[] {
  const at = (c: CaseFacts) => (key === 'takeCharge' ? c.takenInChargeAt : key === 'onSite' ? c.onSiteAt : c.handoverAckAt);
  return cases.map((c) => minutesBetween(c.reportedAt, at(c))).filter((m): m is number => m !== null && m >= 0);
}

function counts(cases: CaseFacts[]): number[] {
  return COUNT_COLUMNS.map(({ key }) => {
    if (key === 'cases') return cases.length;
    if (key === 'takeChargeSlaBreached') return cases.filter((c) => c.takeChargeSlaBreached).length;
    if (key === 'overdueTasks') return cases.filter((c) => c.overdueTasks).length;
    if (key === 'milestonesMet') return cases.filter((c) => c.milestonesMet).length;
    if (key === 'milestonesMissed') return cases.filter((c) => c.milestonesMissed).length;
    const type = key.slice('resource:'.length);
    return cases.filter((c) => c.resourceTypes.includes(type)).length;
  });
}

function times(cases: CaseFacts[], small: boolean): Record<ResponseTimeKey, ResponseTimeStats> {
  const round = (v: number | null) => (v === null ? null : Math.round(v));
  return Object.fromEntries(
    RESPONSE_TIMES.map((key) => {
      const m = measures(cases, key);
      const shown = !small && m.length >= SUPPRESSION_THRESHOLD;
      const n: SuppressedCount = small ? '<3' : suppressTotal(m.length);
      return [key, { median: shown ? round(median(m)) : null, p90: shown ? round(percentile(m, 0.9)) : null, cases: n }];
    }),
  ) as Record<ResponseTimeKey, ResponseTimeStats>;
}

function valuesOf(c: CaseFacts, d: MonitoringDimension): string[] {
  switch (d) {
    case 'period':
      return [romeMonth(c.reportedAt)];
    case 'targetGroup':
      return c.categories.length > 0 ? c.categories : ['none'];
    case 'comune':
      return [c.comuneCode];
    case 'reportingForce':
      return [c.reportingForce];
    case 'outcome':
      return [c.outcome];
  }
}

export function dimensionLabel(d: MonitoringDimension, code: string, comuni: Map<string, string>): string {
  switch (d) {
    case 'period': {
      const [y, m] = code.split('-');
      return new Intl.DateTimeFormat('it-IT', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(y), Number(m) - 1, 1)));
    }
    case 'targetGroup':
      return CATEGORY_LABELS[code as keyof typeof CATEGORY_LABELS] ?? 'Non indicato';
    case 'comune':
      return comuni.get(code) ?? code;
    case 'reportingForce':
      return FORCE_LABELS[code as keyof typeof FORCE_LABELS] ?? code;
    case 'outcome':
      return code === OPEN_OUTCOME ? 'In corso' : (OUTCOME_LABELS[code as keyof typeof OUTCOME_LABELS] ?? code);
  }
}

/** The cross product of a case's values: with several target groups a case is in several rows. */
function keysOf(c: CaseFacts, dims: MonitoringDimension[]): string[][] {
  let keys: string[][] = [[]];
  for (const d of dims) keys = keys.flatMap((k) => valuesOf(c, d).map((v) => [...k, v]));
  return keys;
}

export function buildReport(cases: CaseFacts[], f: MonitoringFilters, comuni: Map<string, string>, now: Date): MonitoringReport {
  const groups = new Map<string, { key: string[]; cases: CaseFacts[] }>();
  for (const c of cases) {
    for (const key of keysOf(c, f.groupBy)) {
      const id = JSON.stringify(key);
      const g = groups.get(id) ?? { key, cases: [] };
      g.cases.push(c);
      groups.set(id, g);
    }
  }
  const ordered = [...groups.values()].sort((a, b) => compareKeys(a.key, b.key));
  const suppressed = suppressCounts({ keys: ordered.map((g) => g.key), counts: ordered.map((g) => counts(g.cases)) });
  const rows: MonitoringRow[] = ordered.map((g, i) => {
    const small = g.cases.length < SUPPRESSION_THRESHOLD;
    return {
      group: Object.fromEntries(f.groupBy.map((d, j) => [d, { code: g.key[j]!, label: dimensionLabel(d, g.key[j]!, comuni) }])),
      counts: Object.fromEntries(COUNT_COLUMNS.map((col, j) => [col.key, suppressed[i]![j]!])),
      times: times(g.cases, small),
    };
  });
  const totalCounts = counts(cases);
  return {
    from: f.from,
    to: f.to,
    groupBy: f.groupBy,
    ambito: f.ambito ?? null,
    generatedAt: now.toISOString(),
    columns: COUNT_COLUMNS,
    rows,
    totals: {
      counts: Object.fromEntries(COUNT_COLUMNS.map((col, j) => [col.key, cases.length < SUPPRESSION_THRESHOLD ? SMALL : suppressTotal(totalCounts[j]!)])),
      times: times(cases, cases.length < SUPPRESSION_THRESHOLD),
    },
    notes: [],
  };
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = (a[i] ?? '').localeCompare(b[i] ?? '');
    if (c !== 0) return c;
  }
  return 0;
}
