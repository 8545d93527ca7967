-- Read model at scale: counts of cases (and notifications) kept by triggers in the writing
-- transaction, so summaries, gauges and list totals never count the case table.

-- CreateTable
CREATE TABLE "CaseCounter" (
    "ambitoId" TEXT NOT NULL,
    "comuneCode" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "riskLevel" TEXT NOT NULL,
    "overdue" BOOLEAN NOT NULL,
    "category" TEXT NOT NULL,
    "n" BIGINT NOT NULL,

    CONSTRAINT "CaseCounter_pkey" PRIMARY KEY ("ambitoId","comuneCode","status","step","riskLevel","overdue","category")
);

-- CreateTable
CREATE TABLE "NotificationCounter" (
    "state" TEXT NOT NULL,
    "n" BIGINT NOT NULL,

    CONSTRAINT "NotificationCounter_pkey" PRIMARY KEY ("state")
);

-- Applies one statement's changes as deltas, buckets in key order (the same lock order in every
-- transaction, so concurrent writers never deadlock on counter rows); a change that moves no
-- case between buckets writes nothing. One branch per event: each sees only its transition tables.
CREATE FUNCTION case_counter_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM "CaseCounter";
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "CaseCounter" AS cc ("ambitoId", "comuneCode", status, step, "riskLevel", overdue, category, n)
    SELECT d."ambitoId", COALESCE(d."competentComuneCode", d."eventComuneCode"), d.status, d.step, COALESCE(d."riskLevel", ''), d."overdueSince" IS NOT NULL, cats.k, sum(d.delta)
    FROM (SELECT "ambitoId", "competentComuneCode", "eventComuneCode", status, step, "riskLevel", "overdueSince", categories, 1 AS delta FROM new_rows) d
      -- One row per case and bucket: '*' (every case) and one per category it carries.
      CROSS JOIN LATERAL (SELECT DISTINCT k FROM unnest(ARRAY['*'] || d.categories) AS k) cats
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("ambitoId", "comuneCode", status, step, "riskLevel", overdue, category) DO UPDATE SET n = cc.n + EXCLUDED.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "CaseCounter" AS cc ("ambitoId", "comuneCode", status, step, "riskLevel", overdue, category, n)
    SELECT d."ambitoId", COALESCE(d."competentComuneCode", d."eventComuneCode"), d.status, d.step, COALESCE(d."riskLevel", ''), d."overdueSince" IS NOT NULL, cats.k, sum(d.delta)
    FROM (SELECT "ambitoId", "competentComuneCode", "eventComuneCode", status, step, "riskLevel", "overdueSince", categories, -1 AS delta FROM old_rows) d
      -- One row per case and bucket: '*' (every case) and one per category it carries.
      CROSS JOIN LATERAL (SELECT DISTINCT k FROM unnest(ARRAY['*'] || d.categories) AS k) cats
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("ambitoId", "comuneCode", status, step, "riskLevel", overdue, category) DO UPDATE SET n = cc.n + EXCLUDED.n;
  ELSE
    INSERT INTO "CaseCounter" AS cc ("ambitoId", "comuneCode", status, step, "riskLevel", overdue, category, n)
    SELECT d."ambitoId", COALESCE(d."competentComuneCode", d."eventComuneCode"), d.status, d.step, COALESCE(d."riskLevel", ''), d."overdueSince" IS NOT NULL, cats.k, sum(d.delta)
    FROM (SELECT "ambitoId", "competentComuneCode", "eventComuneCode", status, step, "riskLevel", "overdueSince", categories, -1 AS delta FROM old_rows UNION ALL SELECT "ambitoId", "competentComuneCode", "eventComuneCode", status, step, "riskLevel", "overdueSince", categories, 1 FROM new_rows) d
      -- One row per case and bucket: '*' (every case) and one per category it carries.
      CROSS JOIN LATERAL (SELECT DISTINCT k FROM unnest(ARRAY['*'] || d.categories) AS k) cats
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("ambitoId", "comuneCode", status, step, "riskLevel", overdue, category) DO UPDATE SET n = cc.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Case_counter_insert" AFTER INSERT ON "Case" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_counter_apply();
CREATE TRIGGER "Case_counter_update" AFTER UPDATE ON "Case" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_counter_apply();
CREATE TRIGGER "Case_counter_delete" AFTER DELETE ON "Case" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_counter_apply();
CREATE TRIGGER "Case_counter_truncate" AFTER TRUNCATE ON "Case"
  FOR EACH STATEMENT EXECUTE FUNCTION case_counter_apply();

-- Notifications by delivery state (pending | delivered), for the /metrics gauge.
CREATE FUNCTION notification_counter_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was text;
  now_is text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM "NotificationCounter";
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN was := CASE WHEN OLD."deliveredAt" IS NULL THEN 'pending' ELSE 'delivered' END; END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN now_is := CASE WHEN NEW."deliveredAt" IS NULL THEN 'pending' ELSE 'delivered' END; END IF;
  IF was IS DISTINCT FROM now_is THEN
    INSERT INTO "NotificationCounter" AS nc (state, n)
    SELECT state, delta FROM (VALUES (was, -1), (now_is, 1)) AS d (state, delta) WHERE state IS NOT NULL ORDER BY state
    ON CONFLICT (state) DO UPDATE SET n = nc.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Notification_counter" AFTER INSERT OR UPDATE OF "deliveredAt" OR DELETE ON "Notification"
  FOR EACH ROW EXECUTE FUNCTION notification_counter_apply();
CREATE TRIGGER "Notification_counter_truncate" AFTER TRUNCATE ON "Notification"
  FOR EACH STATEMENT EXECUTE FUNCTION notification_counter_apply();

-- Backfill from the rows already there.
INSERT INTO "CaseCounter" ("ambitoId", "comuneCode", status, step, "riskLevel", overdue, category, n)
SELECT d."ambitoId", COALESCE(d."competentComuneCode", d."eventComuneCode"), d.status, d.step, COALESCE(d."riskLevel", ''), d."overdueSince" IS NOT NULL, cats.k, count(*)
FROM "Case" d CROSS JOIN LATERAL (SELECT DISTINCT k FROM unnest(ARRAY['*'] || d.categories) AS k) cats
GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO "NotificationCounter" (state, n)
SELECT CASE WHEN "deliveredAt" IS NULL THEN 'pending' ELSE 'delivered' END, count(*) FROM "Notification" GROUP BY 1;
