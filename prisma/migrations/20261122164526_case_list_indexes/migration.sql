-- CreateIndex
CREATE INDEX "Case_reportedAt_idx" ON "Case"("reportedAt");

-- CreateIndex
CREATE INDEX "Case_status_reportedAt_idx" ON "Case"("status", "reportedAt");
