-- CreateIndex
CREATE INDEX "Case_status_handoverAt_idx" ON "Case"("status", "handoverAt");

-- CreateIndex
CREATE INDEX "Task_status_dueAt_caseId_idx" ON "Task"("status", "dueAt", "caseId");
