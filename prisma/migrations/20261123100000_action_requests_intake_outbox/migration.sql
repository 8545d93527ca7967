-- CreateTable
CREATE TABLE "ActionRequest" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "taskId" TEXT,
    "workflowId" TEXT NOT NULL,
    "updateName" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "args" JSONB NOT NULL,
    "bodyHash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "httpStatus" INTEGER,
    "result" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ActionRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseWorkflowStart" (
    "caseId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastAttemptAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "CaseWorkflowStart_pkey" PRIMARY KEY ("caseId")
);

-- CreateIndex
CREATE INDEX "ActionRequest_status_createdAt_idx" ON "ActionRequest"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ActionRequest_userId_idempotencyKey_key" ON "ActionRequest"("userId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "CaseWorkflowStart_createdAt_idx" ON "CaseWorkflowStart"("createdAt");

-- Cases whose workflow never wrote a snapshot may have been left without one (finding 3):
-- the reconciler checks them (the start is idempotent).
INSERT INTO "CaseWorkflowStart" ("caseId", "createdAt")
SELECT "id", "createdAt" FROM "Case" WHERE "revision" = 0 AND "status" <> 'closed';
