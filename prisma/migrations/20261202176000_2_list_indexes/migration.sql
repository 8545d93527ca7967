-- Read model at scale: the list sorts with their id tie-break in one index (either direction),
-- and the running cases (about 3% of them) in small partial indexes of their own, so a list of
-- running cases never walks past the closed ones.

-- DropIndex
DROP INDEX "Case_createdAt_idx";

-- DropIndex
DROP INDEX "Case_lastProgressAt_idx";

-- DropIndex
DROP INDEX "Case_reportedAt_idx";

-- CreateIndex
CREATE INDEX "Case_reportedAt_id_idx" ON "Case"("reportedAt", "id");

-- CreateIndex
CREATE INDEX "Case_createdAt_id_idx" ON "Case"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Case_lastProgressAt_id_idx" ON "Case"("lastProgressAt", "id");

-- Running cases (partial; Prisma's schema does not describe partial indexes).
CREATE INDEX "Case_running_reportedAt_id_idx" ON "Case"("reportedAt", "id") WHERE status <> 'closed';
CREATE INDEX "Case_running_createdAt_id_idx" ON "Case"("createdAt", "id") WHERE status <> 'closed';
CREATE INDEX "Case_running_lastProgressAt_id_idx" ON "Case"("lastProgressAt", "id") WHERE status <> 'closed';
CREATE INDEX "Case_running_handoverAt_id_idx" ON "Case"("handoverAt", "id") WHERE status <> 'closed';
CREATE INDEX "Case_running_overdueSince_id_idx" ON "Case"("overdueSince", "id") WHERE status <> 'closed';

-- Running tasks in the task list's order.
CREATE INDEX "Task_active_dueAt_createdAt_id_idx" ON "Task"("dueAt", "createdAt", "id") WHERE status IN ('open', 'claimed');
