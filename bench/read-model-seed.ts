import type { PrismaClient } from '../src/generated/prisma/client';

/**
 * Synthetic read-model rows for the bench (no workflows behind them), one `INSERT … SELECT
 * generate_series` per table. Distributions follow the service: about 3% of cases running (most
 * of them open, then awaiting or in handover, a few in intake or scope review), 97% closed over
 * five years; the Rhodense (60%) and the Bollatese (40%) Ambiti with their Comuni; categories
 * (homeless first, one case in ten with two), risk levels (5% critical), 15% of running cases
 * overdue; times rounded to the minute so that many rows tie on their sort key. Each running case
 * has one completed and one open or claimed task, each closed case one completed task.
 *
 * Rows carry a reference `SYN-…`: a later call adds only what is missing to reach `target` cases,
 * so one database serves 100k, then 1M.
 */
export const RHODENSE_COMUNI = ['015009', '015087', '015116', '015170', '015176', '015179', '015182', '015211', '015229'];
export const BOLLATESE_COMUNI = ['015027', '015250', '015076', '015105', '015157', '015166', '015206', '015213'];

const arr = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]`;

export async function seedReadModel(prisma: PrismaClient, target: number): Promise<number> {
  const current = await prisma.case.count({ where: { reference: { startsWith: 'SYN-' } } });
  const missing = target - current;
  if (missing <= 0) return 0;
  const from = current + 1;
  const to = target;
  // Large batches: secondary indexes are dropped and built again afterwards (one sort each is far
  // cheaper than a million random insertions); their definitions come from the catalog, so the
  // database ends with exactly the indexes the migrations made.
  const rebuild =
    missing >= 50_000
      ? await prisma.$queryRawUnsafe<Array<{ name: string; def: string }>>(`
          SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
          JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
          WHERE i.schemaname = current_schema() AND i.tablename IN ('Case', 'Task') AND NOT x.indisunique AND NOT x.indisprimary`)
      : [];
  for (const { name } of rebuild) await prisma.$executeRawUnsafe(`DROP INDEX "${name.replace(/"/g, '""')}"`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Case" (id, reference, "workflowId", "reportingForce", "reportNumber", "ambitoId", "eventComuneCode",
      "residenceComuneCode", "competentComuneCode", categories, "minorsInvolved", status, step, "riskLevel", flags, "openTaskRoles",
      "reportedAt", "handoverAt", "overdueSince", "lastProgressAt", "outcomeCode", "closedAt", "createdById", "createdAt", "updatedAt")
    SELECT id, 'SYN-' || lpad(g::text, 8, '0'), 'syn-' || id, 'carabinieri', 'SYN-' || lpad(g::text, 8, '0'), ambito, event_comune, event_comune,
      CASE WHEN status IN ('awaiting_handover', 'handover') OR (status = 'closed' AND r4 < 0.9) OR (status = 'open' AND r4 < 0.3) THEN competent END,
      CASE WHEN r5 < 0.1 THEN ARRAY[category, 'minors_at_risk'] ELSE ARRAY[category] END,
      category IN ('msna', 'minors_at_risk') OR r5 < 0.1,
      status,
      CASE status WHEN 'closed' THEN 'closure' WHEN 'intake' THEN 'intake' WHEN 'scope_review' THEN 'scope_review'
        WHEN 'awaiting_handover' THEN 'handover' WHEN 'handover' THEN 'handover'
        ELSE (ARRAY['take_charge','risk_check','intervention','intervention','intervention','anti_violence','minor_protection'])[1 + floor(r6 * 7)::int] END,
      CASE WHEN status IN ('intake', 'scope_review') THEN NULL WHEN r3 < 0.4 THEN 'low' WHEN r3 < 0.7 THEN 'medium' WHEN r3 < 0.95 THEN 'high' ELSE 'critical' END,
      ARRAY[]::text[], CASE WHEN status = 'closed' THEN ARRAY[]::text[] ELSE ARRAY['emergency_operator'] END,
      created - interval '5 minutes',
      CASE WHEN status IN ('awaiting_handover', 'handover') THEN date_trunc('hour', now()) + (floor(r6 * 48) - 12) * interval '1 hour' END,
      CASE WHEN status <> 'closed' AND r4 < 0.15 THEN date_trunc('minute', now()) - floor(r6 * 600) * interval '1 minute' END,
      CASE WHEN status = 'closed' THEN created + floor(r6 * 2880) * interval '1 minute'
        ELSE least(date_trunc('minute', now()), created + floor(r6 * 600) * interval '1 minute') END,
      CASE WHEN status = 'closed' THEN (ARRAY['taken_on_by_comune','taken_on_by_comune','resolved','handed_over_external','redirected','cancelled'])[1 + floor(r6 * 6)::int] END,
      CASE WHEN status = 'closed' THEN created + floor(r6 * 2880) * interval '1 minute' END,
      'u-intake', created, now()
    FROM (
      SELECT g, id, r3, r4, r5, r6,
        CASE WHEN r0 < 0.6 THEN 'rhodense' ELSE 'bollatese' END AS ambito,
        CASE WHEN r0 < 0.6 THEN (${arr(RHODENSE_COMUNI)})[1 + floor(r0 / 0.6 * ${RHODENSE_COMUNI.length})::int]
          ELSE (${arr(BOLLATESE_COMUNI)})[1 + floor((r0 - 0.6) / 0.4 * ${BOLLATESE_COMUNI.length})::int] END AS event_comune,
        CASE WHEN r0 < 0.6 THEN (${arr(RHODENSE_COMUNI)})[1 + floor(r4 * ${RHODENSE_COMUNI.length})::int]
          ELSE (${arr(BOLLATESE_COMUNI)})[1 + floor(r4 * ${BOLLATESE_COMUNI.length})::int] END AS competent,
        CASE WHEN r1 >= 0.03 THEN 'closed' WHEN r1 < 0.0186 THEN 'open' WHEN r1 < 0.024 THEN 'awaiting_handover'
          WHEN r1 < 0.027 THEN 'handover' WHEN r1 < 0.0285 THEN 'intake' ELSE 'scope_review' END AS status,
        CASE WHEN r2 < 0.35 THEN 'homeless' WHEN r2 < 0.55 THEN 'adults_families_marginality' WHEN r2 < 0.70 THEN 'women_violence'
          WHEN r2 < 0.82 THEN 'frail_without_caregiver' WHEN r2 < 0.92 THEN 'minors_at_risk' ELSE 'msna' END AS category,
        -- Running cases arrived in the last three days, closed ones over five years; to the minute (ties).
        CASE WHEN r1 < 0.03 THEN date_trunc('minute', now()) - floor(r6 * 4320) * interval '1 minute'
          ELSE date_trunc('minute', now() - interval '3 days') - floor(r3 * 2628000) * interval '1 minute' END AS created
      FROM (
        -- Ids in insertion order (uuid-shaped): the unique indexes grow at their end, fast to fill.
        SELECT g, '00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0') AS id, random() AS r0, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
          random() AS r5, random() AS r6
        FROM generate_series(${from}, ${to}) AS g
      ) raw
    ) s`);
  // Tasks: one completed per case; one open or claimed per running case (due around now).
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Task" (id, "caseId", type, "candidateRole", "comuneCode", "assigneeId", status, "createdAt", "claimedAt", "dueAt",
      "completedAt", "completedById", escalation)
    SELECT c.id || '-t1', c.id, 'take_charge', 'emergency_operator', NULL, 'u-op1', 'completed', c."createdAt", c."createdAt",
      c."createdAt" + interval '15 minutes', c."createdAt" + interval '10 minutes', 'u-op1', '{"trigger":"none"}'::jsonb
    FROM "Case" c WHERE c.reference ~ '^SYN-[0-9]+$' AND substr(c.reference, 5)::int BETWEEN ${from} AND ${to}`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Task" (id, "caseId", type, "candidateRole", "comuneCode", "assigneeId", status, "createdAt", "claimedAt", "dueAt", escalation)
    SELECT c.id || '-t2', c.id, t.type, t.role, CASE WHEN t.type = 'handover_ack' THEN COALESCE(c."competentComuneCode", c."eventComuneCode") END,
      CASE WHEN t.claimed THEN (ARRAY['u-op1','u-op2'])[1 + (abs(hashtext(c.id)) % 2)] END,
      CASE WHEN t.claimed THEN 'claimed' ELSE 'open' END, c."lastProgressAt", CASE WHEN t.claimed THEN c."lastProgressAt" END,
      date_trunc('minute', now()) + ((abs(hashtext(c.id)) % 480) - 240) * interval '1 minute', '{"trigger":"none"}'::jsonb
    FROM "Case" c
    CROSS JOIN LATERAL (SELECT
      CASE c.step WHEN 'handover' THEN 'handover_ack' WHEN 'scope_review' THEN 'scope_review' WHEN 'intake' THEN 'take_charge'
        WHEN 'anti_violence' THEN 'av_consent' WHEN 'minor_protection' THEN 'msna_placement' ELSE c.step END AS type,
      CASE c.step WHEN 'handover' THEN 'social_worker' WHEN 'scope_review' THEN 'coordinator' ELSE 'emergency_operator' END AS role,
      c.step NOT IN ('handover', 'scope_review', 'intake', 'take_charge') AND abs(hashtext(c.id)) % 5 < 2 AS claimed) t
    WHERE c.reference ~ '^SYN-[0-9]+$' AND c.status <> 'closed' AND substr(c.reference, 5)::int BETWEEN ${from} AND ${to}`);
  for (const { def } of rebuild) await prisma.$executeRawUnsafe(def);
  await prisma.$executeRawUnsafe('VACUUM (ANALYZE) "Case"');
  await prisma.$executeRawUnsafe('VACUUM (ANALYZE) "Task"');
  return missing;
}
