-- CreateIndex
CREATE INDEX "Case_step_lastProgressAt_idx" ON "Case"("step", "lastProgressAt");
