import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import request from 'supertest';
import type { MonitoringCount, MonitoringReport } from '../../src/contract/reports';
import { type ApiHarness, bearer, startApiHarness } from './api-harness';

/**
 * GET /api/reports/monitoring(.csv|.xlsx) on fixture cases written straight into the read model:
 * every published number equals the one computed here, independently, in plain JS; small cells
 * are hidden; the exports parse back to the same cells; bad filters are 422, wrong roles 403.
 */

let h: ApiHarness;

const COMUNI = ['015182', '015116', '015170', '015176'];
const FORCES = ['carabinieri', 'polizia_locale', 'polizia_di_stato'];
const CATEGORIES = ['homeless', 'women_violence', 'frail_without_caregiver', 'msna'];
const OUTCOMES: Array<string | null> = [null, 'taken_on_by_comune', 'taken_on_by_comune', 'resolved', 'redirected'];
const RESOURCES = ['emergency_bed', 'meal_service', 'transport', 'women_shelter'];
const MIN = 60_000;

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Fixture {
  id: string;
  ambitoId: string;
  reportedAt: Date;
  categories: string[];
  comune: string;
  competent: boolean;
  force: string;
  outcome: string | null;
  claimAfter: number | null;
  completedWithoutClaim: boolean;
  onSiteAfter: number | null;
  ackAfter: number | null;
  lateOtherTask: boolean;
  resources: string[];
  milestones: Array<'met' | 'missed' | 'due'>;
}

const random = rng(1302);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

function fixture(i: number, overrides: Partial<Fixture> = {}): Fixture {
  const month = ['2025-10', '2025-11', '2025-12'][i % 3]!;
  const day = 2 + Math.floor(random() * 25);
  const claimAfter = random() < 0.1 ? null : 2 + Math.floor(random() * 30);
  return {
    id: randomUUID(),
    ambitoId: 'rhodense',
    reportedAt: new Date(`${month}-${String(day).padStart(2, '0')}T${String(Math.floor(random() * 24)).padStart(2, '0')}:17:00Z`),
    categories: random() < 0.25 ? [pick(CATEGORIES), pick(CATEGORIES)].filter((c, j, a) => a.indexOf(c) === j) : [pick(CATEGORIES)],
    comune: pick(COMUNI),
    competent: random() < 0.7,
    force: pick(FORCES),
    outcome: pick(OUTCOMES),
    claimAfter,
    completedWithoutClaim: claimAfter !== null && random() < 0.1,
    onSiteAfter: claimAfter === null || random() < 0.15 ? null : claimAfter + 5 + Math.floor(random() * 80),
    ackAfter: random() < 0.5 ? null : 600 + Math.floor(random() * 3000),
    lateOtherTask: random() < 0.2,
    resources: RESOURCES.filter(() => random() < 0.3),
    milestones: (['met', 'missed', 'due'] as const).filter(() => random() < 0.3),
    ...overrides,
  };
}

const fixtures: Fixture[] = [
  ...Array.from({ length: 90 }, (_, i) => fixture(i)),
  // 23:30 UTC on 30 November is 00:30 on 1 December in Rome: a December case.
  fixture(1, { reportedAt: new Date('2025-11-30T23:30:00Z') }),
  // Another Ambito: left out when `ambito=rhodense`.
  ...Array.from({ length: 4 }, (_, i) => fixture(i, { ambitoId: 'test-altro' })),
];

async function insert(f: Fixture, n: number): Promise<void> {
  const at = (m: number | null) => (m === null ? null : new Date(f.reportedAt.getTime() + m * MIN));
  const created = at(1)!;
  const tcDue = at(16)!;
  const claimed = f.completedWithoutClaim ? null : at(f.claimAfter);
  const tasks = [
    {
      id: `${f.id}-t1`,
      type: 'take_charge',
      candidateRole: 'emergency_operator',
      status: f.claimAfter === null ? 'open' : 'completed',
      createdAt: created,
      claimedAt: claimed,
      completedAt: at(f.claimAfter === null ? null : f.claimAfter + 1),
      dueAt: tcDue,
    },
    ...(f.onSiteAfter === null
      ? []
      : [{ id: `${f.id}-t2`, type: 'risk_check', candidateRole: 'emergency_operator', status: 'completed', createdAt: at(f.claimAfter)!, claimedAt: at(f.claimAfter), completedAt: at(f.onSiteAfter), dueAt: at(f.claimAfter! + (f.lateOtherTask ? 1 : 600)) }]),
    ...(f.ackAfter === null
      ? []
      : [{ id: `${f.id}-t3`, type: 'handover_ack', candidateRole: 'social_worker', status: 'completed', createdAt: at(f.ackAfter - 60)!, claimedAt: null, completedAt: at(f.ackAfter), dueAt: at(f.ackAfter + 60) }]),
  ];
  await h.prisma.case.create({
    data: {
      id: f.id,
      reference: `PIS-T-${n}-${f.id.slice(0, 6)}`,
      workflowId: `case-${f.id}`,
      reportingForce: f.force,
      reportNumber: `R-${f.id}`,
      ambitoId: f.ambitoId,
      eventComuneCode: f.comune,
      competentComuneCode: f.competent ? f.comune : null,
      categories: f.categories,
      status: f.outcome === null ? 'open' : 'closed',
      step: f.outcome === null ? 'intervention' : 'closure',
      flags: [],
      openTaskRoles: [],
      reportedAt: f.reportedAt,
      lastProgressAt: f.reportedAt,
      outcomeCode: f.outcome,
      closedAt: f.outcome === null ? null : at(4000),
      createdById: 'u-intake',
      tasks: { create: tasks.map((t) => ({ ...t, escalation: {} })) },
      activations: { create: f.resources.map((kind) => ({ id: randomUUID(), kind, activatedAt: at(30)!, byUserId: 'u-op1' })) },
      milestones: {
        create: f.milestones.map((state, j) => ({ id: `${f.id}:k${j}`, kind: `k${j}`, legalSource: 'art. 403 c.c.', actor: 'us', triggerAt: at(60)!, dueAt: at(60 + 24 * 60)!, state })),
      },
    },
  });
}

beforeAll(async () => {
  h = await startApiHarness('reports', { worker: false });
  await h.prisma.ambito.create({ data: { id: 'test-altro', name: 'Ambito di prova' } });
  for (const [n, f] of fixtures.entries()) await insert(f, n);
}, 180_000);

afterAll(async () => {
  await h?.close();
});

// ------------------------------------------------------------------------------------ expected values, in plain JS

const romeMonthOf = (d: Date) => d.toLocaleString('sv-SE', { timeZone: 'Europe/Rome' }).slice(0, 7);

function dimValues(f: Fixture, d: string): string[] {
  if (d === 'period') return [romeMonthOf(f.reportedAt)];
  if (d === 'targetGroup') return f.categories;
  if (d === 'comune') return [f.comune];
  if (d === 'reportingForce') return [f.force];
  return [f.outcome ?? 'open'];
}

function expectedCounts(fs: Fixture[]): Record<string, number> {
  const taken = (f: Fixture) => (f.claimAfter === null ? null : f.completedWithoutClaim ? f.claimAfter + 1 : f.claimAfter);
  const out: Record<string, number> = {
    cases: fs.length,
    // Due 16 minutes after the report: claimed later, or never claimed (now is long past).
    takeChargeSlaBreached: fs.filter((f) => taken(f) === null || taken(f)! > 16).length,
    overdueTasks: fs.filter((f) => taken(f) === null || f.claimAfter! + 1 > 16 || (f.lateOtherTask && f.onSiteAfter !== null && f.onSiteAfter > f.claimAfter! + 1)).length,
  };
  out.milestonesMet = fs.filter((f) => f.milestones.includes('met')).length;
  out.milestonesMissed = fs.filter((f) => f.milestones.includes('missed')).length;
  for (const r of [...RESOURCES, 'minor_first_reception', 'cav_on_call', 'health_service', 'other']) out[`resource:${r}`] = fs.filter((f) => f.resources.includes(r)).length;
  return out;
}

function expectedTimes(fs: Fixture[]): Record<'takeCharge' | 'onSite' | 'handoverAck', number[]> {
  const taken = (f: Fixture) => (f.claimAfter === null ? null : f.completedWithoutClaim ? f.claimAfter + 1 : f.claimAfter);
  return {
    takeCharge: fs.map(taken).filter((v): v is number => v !== null),
    onSite: fs.map((f) => f.onSiteAfter).filter((v): v is number => v !== null),
    handoverAck: fs.map((f) => f.ackAfter).filter((v): v is number => v !== null),
  };
}

function med(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : Math.round((s[s.length / 2 - 1]! + s[s.length / 2]!) / 2);
}
function p90(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  let rank = 1;
  while (rank < 0.9 * s.length) rank += 1;
  return s[rank - 1]!;
}

/** A published count agrees with the true one: exact, or hidden in the way the rule says. */
function agrees(published: MonitoringCount, truth: number, rowCases: number): boolean {
  if (rowCases < 3) return published === '<3';
  if (truth === 1 || truth === 2) return published === '<3';
  return published === truth || (published === 'n.d.' && truth >= 3);
}

const inRhodense = fixtures.filter((f) => f.ambitoId === 'rhodense');

async function report(query: Record<string, string>, user: 'coordinatore' | 'admin' = 'coordinatore'): Promise<MonitoringReport> {
  const res = await request(h.app).get('/api/reports/monitoring').query(query).set(...bearer(h, user));
  expect(res.status).toBe(200);
  return res.body as MonitoringReport;
}

function checkAgainstFixtures(r: MonitoringReport, fs: Fixture[]): void {
  const groups = new Map<string, Fixture[]>();
  for (const f of fs) {
    let keys: string[][] = [[]];
    for (const d of r.groupBy) keys = keys.flatMap((k) => dimValues(f, d).map((v) => [...k, v]));
    for (const k of keys) groups.set(JSON.stringify(k), [...(groups.get(JSON.stringify(k)) ?? []), f]);
  }
  expect(r.rows).toHaveLength(groups.size);
  for (const row of r.rows) {
    const members = groups.get(JSON.stringify(r.groupBy.map((d) => row.group[d]!.code)));
    expect(members).toBeDefined();
    const truth = expectedCounts(members!);
    for (const [col, value] of Object.entries(truth)) {
      if (!agrees(row.counts[col]!, value, members!.length)) throw new Error(`row ${JSON.stringify(row.group)} ${col}: published ${row.counts[col]}, true ${value}`);
    }
    const times = expectedTimes(members!);
    for (const [k, xs] of Object.entries(times)) {
      const t = row.times[k as keyof typeof row.times];
      if (members!.length < 3 || xs.length < 3) expect(t.median).toBeNull();
      else expect([t.median, t.p90]).toEqual([med(xs), p90(xs)]);
    }
  }
  const total = expectedCounts(fs);
  for (const [col, value] of Object.entries(total)) expect(agrees(r.totals.counts[col]!, value, fs.length)).toBe(true);
  const totalTimes = expectedTimes(fs);
  expect(r.totals.times.takeCharge).toEqual({ median: med(totalTimes.takeCharge), p90: p90(totalTimes.takeCharge), cases: totalTimes.takeCharge.length });
  expect(r.totals.times.onSite.median).toBe(med(totalTimes.onSite));
  expect(r.totals.times.handoverAck.p90).toBe(p90(totalTimes.handoverAck));
}

/** No "<3" is alone among the hidden cells of a set of rows whose sum (≥ 3) another grouping publishes. */
function checkNoLoneSmallCell(r: MonitoringReport): void {
  const dims = r.groupBy;
  for (let mask = 0; mask < (1 << dims.length) - 1; mask++) {
    const fixed = dims.filter((_, i) => mask & (1 << i));
    const sets = new Map<string, MonitoringReport['rows']>();
    for (const row of r.rows) {
      const k = JSON.stringify(fixed.map((d) => row.group[d]!.code));
      sets.set(k, [...(sets.get(k) ?? []), row]);
    }
    for (const rows of sets.values()) {
      for (const col of r.columns.map((c) => c.key)) {
        const hidden = rows.filter((row) => typeof row.counts[col] === 'string');
        const small = hidden.filter((row) => row.counts[col] === '<3');
        // Allowed only when the rest of the set is 0: the set's sum is then itself below 3.
        const othersZero = rows.every((row) => row.counts[col] === '<3' || row.counts[col] === 0);
        if (small.length === 1 && hidden.length === 1 && !othersZero) throw new Error(`lone <3 in ${col} among ${fixed.join(',')}`);
      }
    }
  }
}

describe('GET /api/reports/monitoring', () => {
  it('by month: every number equals the fixtures’ (December includes the case of 00:30 on 1 December in Rome)', async () => {
    const r = await report({ from: '2025-10', to: '2025-12', groupBy: 'period', ambito: 'rhodense' });
    expect(r.rows.map((row) => row.group.period!.code)).toEqual(['2025-10', '2025-11', '2025-12']);
    checkAgainstFixtures(r, inRhodense);
    expect(r.columns.map((c) => c.key).sort()).toEqual(Object.keys(expectedCounts([])).sort());
    expect(r.rows[2]!.counts.cases).toBe(inRhodense.filter((f) => romeMonthOf(f.reportedAt) === '2025-12').length);
    expect(r.rows[0]!.group.period!.label).toBe('ottobre 2025');
    expect(r.totals.counts.cases).toBe(inRhodense.length);
  });

  it('by Comune × outcome and by target group × reporting force: exact where shown, hidden where small, no <3 recomputable', async () => {
    for (const groupBy of ['comune,outcome', 'targetGroup,reportingForce', 'period,comune,outcome']) {
      const r = await report({ from: '2025-10', to: '2025-12', groupBy, ambito: 'rhodense' });
      checkAgainstFixtures(r, inRhodense);
      checkNoLoneSmallCell(r);
      expect(JSON.stringify(r)).toContain('"<3"');
    }
  });

  it('without ambito counts every Ambito in the actor’s scope (admin: all, coordinator: theirs); one month at a time', async () => {
    const all = await report({ from: '2025-10', to: '2025-12', groupBy: 'outcome' }, 'admin');
    checkAgainstFixtures(all, fixtures);
    const nov = await report({ from: '2025-11', to: '2025-11', groupBy: 'comune' });
    // The coordinator works for the Rhodense only (caseScope): the other Ambito's cases are not counted.
    checkAgainstFixtures(nov, inRhodense.filter((f) => romeMonthOf(f.reportedAt) === '2025-11'));
  });

  it('carries no personal data nor case ids', async () => {
    const r = await report({ from: '2025-10', to: '2025-12', groupBy: 'comune,outcome' });
    const text = JSON.stringify(r);
    for (const f of fixtures.slice(0, 20)) expect(text).not.toContain(f.id);
    expect(text).not.toMatch(/PIS-T-|R-[0-9a-f]{8}/);
  });

  it('answers 422 naming the field for bad filters, and changes nothing', async () => {
    const bad = async (query: Record<string, string>, path: string) => {
      const res = await request(h.app).get('/api/reports/monitoring').query(query).set(...bearer(h, 'coordinatore'));
      expect(res.status).toBe(422);
      expect((res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain(path);
    };
    await bad({ from: '2025-12', to: '2025-10' }, 'from');
    await bad({ from: '2023-01', to: '2025-12' }, 'to');
    await bad({ groupBy: 'period,nome' }, 'groupBy');
    await bad({ from: '2025-13' }, 'from');
    await bad({ from: '2025-10-01' }, 'from');
    await bad({ ambito: 'nessuno' }, 'ambito');
    await bad({ colore: 'rosso' }, '(query)');
  });

  it('is 403 for other roles, and the denial is audited', async () => {
    for (const user of ['operatore1', 'as.rho', 'intake'] as const) {
      const res = await request(h.app).get('/api/reports/monitoring').set(...bearer(h, user));
      expect(res.status).toBe(403);
      expect((await request(h.app).get('/api/reports/monitoring.csv').set(...bearer(h, user))).status).toBe(403);
    }
    const denied = await h.prisma.auditEvent.findMany({ where: { action: 'report.monitoring', outcome: 'denied' } });
    expect(denied.map((e) => e.userId).sort()).toEqual(['u-as-rho', 'u-as-rho', 'u-intake', 'u-intake', 'u-op1', 'u-op1']);
    expect(await h.prisma.auditEvent.count({ where: { action: 'report.monitoring', outcome: 'success', userId: 'u-coord' } })).toBeGreaterThan(0);
  });
});

describe('exports', () => {
  const query = { from: '2025-10', to: '2025-12', groupBy: 'comune,outcome', ambito: 'rhodense' };

  /** The JSON report as the exports' table: group labels, counts, then median and p90 of each time. */
  function asTable(r: MonitoringReport): Array<Array<string | number>> {
    const line = (group: string[], row: Omit<MonitoringReport['rows'][number], 'group'>) => [
      ...group,
      ...r.columns.map((c) => row.counts[c.key]!),
      ...(['takeCharge', 'onSite', 'handoverAck'] as const).flatMap((t) => [row.times[t].median ?? '<3', row.times[t].p90 ?? '<3']),
    ];
    return [...r.rows.map((row) => line(r.groupBy.map((d) => row.group[d]!.label), row)), line(['Totale', ''], r.totals)];
  }

  it('CSV: text/csv, UTF-8 BOM, semicolons, the same cells as the JSON answer', async () => {
    const json = await report(query);
    const res = await request(h.app).get('/api/reports/monitoring.csv').query(query).set(...bearer(h, 'coordinatore')).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toContain('monitoraggio-2025-10-2025-12.csv');
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    const [header, ...body] = lines.map((l) => l.split(';'));
    expect(header!.slice(0, 3)).toEqual(['Comune', 'Esito', 'Casi']);
    const parsed = body.map((cells) => cells.map((c) => (/^\d+$/.test(c) ? Number(c) : c)));
    expect(parsed).toEqual(asTable(json));
  });

  it('XLSX: a workbook whose first sheet has the same cells (numbers as numbers)', async () => {
    const json = await report(query);
    const res = await request(h.app).get('/api/reports/monitoring.xlsx').query(query).set(...bearer(h, 'admin')).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Uint8Array.from(res.body as Buffer).buffer);
    const sheet = book.getWorksheet('Monitoraggio')!;
    const rows: Array<Array<string | number>> = [];
    sheet.eachRow((row) => rows.push((row.values as Array<string | number>).slice(1).map((v) => v ?? '')));
    expect(rows[0]!.slice(0, 3)).toEqual(['Comune', 'Esito', 'Casi']);
    expect(rows.slice(1)).toEqual(asTable(json));
    expect(JSON.stringify(rows)).toContain('"<3"');
  });
});
