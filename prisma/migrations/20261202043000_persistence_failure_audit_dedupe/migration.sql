-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "persistenceError" TEXT,
ADD COLUMN     "persistenceFailedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "decisionId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_decisionId_key" ON "AuditEvent"("decisionId");

-- CreateIndex
CREATE INDEX "Case_persistenceFailedAt_idx" ON "Case"("persistenceFailedAt");
