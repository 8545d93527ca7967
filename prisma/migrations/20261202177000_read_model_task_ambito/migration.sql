-- Read model at scale (issue 14): task lists scoped by Ambito without joining "Case", the case
-- list orders still missing an index, and the /metrics gauges answered from indexes alone.

-- AlterTable
ALTER TABLE "Task" ADD COLUMN "ambitoId" TEXT;

-- "Task"."ambitoId" is the Ambito of the task's case, always: set from "Case" when a task is
-- written (whatever the writer sent), and carried along should a case ever change Ambito (intake
-- sets it once; nothing moves it today). The persistence code does not know the column.
CREATE FUNCTION task_ambito_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."ambitoId" := (SELECT c."ambitoId" FROM "Case" c WHERE c.id = NEW."caseId");
  RETURN NEW;
END $$;

CREATE TRIGGER "Task_ambito_fill" BEFORE INSERT OR UPDATE OF "caseId", "ambitoId" ON "Task"
  FOR EACH ROW EXECUTE FUNCTION task_ambito_fill();

CREATE FUNCTION case_ambito_to_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Task" SET "ambitoId" = NEW."ambitoId" WHERE "caseId" = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER "Case_ambito_to_tasks" AFTER UPDATE OF "ambitoId" ON "Case"
  FOR EACH ROW WHEN (OLD."ambitoId" IS DISTINCT FROM NEW."ambitoId") EXECUTE FUNCTION case_ambito_to_tasks();

-- Backfill the tasks already there (after the triggers, so no task written meanwhile is missed).
UPDATE "Task" t SET "ambitoId" = c."ambitoId" FROM "Case" c WHERE c.id = t."caseId" AND t."ambitoId" IS DISTINCT FROM c."ambitoId";

-- CreateIndex
CREATE INDEX "Task_ambitoId_status_dueAt_createdAt_id_idx" ON "Task"("ambitoId", "status", "dueAt", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Task_ambitoId_status_id_idx" ON "Task"("ambitoId", "status", "id");

-- CreateIndex
CREATE INDEX "Task_type_status_idx" ON "Task"("type", "status");

-- CreateIndex
CREATE INDEX "Case_status_createdAt_id_idx" ON "Case"("status", "createdAt", "id");

-- Partial indexes (Prisma's schema does not describe them).
-- The running tasks of an Ambito in the task list's order, and the claimable ones by role.
-- (Covering "caseId" and "type": the stuck list's overdue tasks and the overdue-task counts of the
-- summary and of /metrics come from this index alone.)
CREATE INDEX "Task_ambito_active_dueAt_createdAt_id_idx" ON "Task"("ambitoId", "dueAt", "createdAt", "id") INCLUDE ("caseId", "type") WHERE status IN ('open', 'claimed');
-- The running tasks of an Ambito by id: their bounded count (Prisma counts with ORDER BY id LIMIT).
CREATE INDEX "Task_ambito_active_id_idx" ON "Task"("ambitoId", "id") INCLUDE ("dueAt") WHERE status IN ('open', 'claimed');
CREATE INDEX "Task_ambito_open_role_dueAt_createdAt_id_idx" ON "Task"("ambitoId", "candidateRole", "dueAt", "createdAt", "id") WHERE status = 'open';
-- Escalated tasks by status (/metrics gauge).
CREATE INDEX "Task_escalated_status_idx" ON "Task"("status") WHERE "escalatedAt" IS NOT NULL;
-- Running cases by Ambito, step and last progress: the stuck list's idle cases from this index alone.
CREATE INDEX "Case_running_idle_idx" ON "Case"("ambitoId", "step", "lastProgressAt", "status", "id") WHERE status <> 'closed';
-- Overdue cases, newest overdue first (the case list's default order for sort=overdueSince).
CREATE INDEX "Case_overdue_overdueSince_id_idx" ON "Case"("overdueSince" DESC NULLS LAST, "id" DESC) WHERE "overdueSince" IS NOT NULL;
-- Overdue cases of one Comune (the list's `comune`: competent, or the event's while undecided).
CREATE INDEX "Case_overdue_competent_idx" ON "Case"("competentComuneCode", "overdueSince") WHERE "overdueSince" IS NOT NULL;
CREATE INDEX "Case_overdue_event_undecided_idx" ON "Case"("eventComuneCode", "overdueSince") WHERE "overdueSince" IS NOT NULL AND "competentComuneCode" IS NULL;
