-- CreateTable
CREATE TABLE "Ambito" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Ambito_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Comune" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "province" TEXT NOT NULL,
    "ambitoId" TEXT,
    "calendar" JSONB NOT NULL,
    "socialServices" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Comune_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Resource" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "comuneCode" TEXT,
    "ambitoId" TEXT,
    "capacity" INTEGER,
    "capacityUnit" TEXT,
    "availability" TEXT,
    "contacts" JSONB NOT NULL,
    "address" TEXT,
    "confidential" BOOLEAN NOT NULL DEFAULT false,
    "demo" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Resource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProtocolSettings" (
    "ambitoId" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProtocolSettings_pkey" PRIMARY KEY ("ambitoId")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "comuneCode" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "reportingForce" TEXT NOT NULL,
    "reportNumber" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "ambitoId" TEXT NOT NULL,
    "eventComuneCode" TEXT NOT NULL,
    "residenceComuneCode" TEXT,
    "competentComuneCode" TEXT,
    "externalHandover" BOOLEAN NOT NULL DEFAULT false,
    "categories" TEXT[],
    "minorsInvolved" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "riskLevel" TEXT,
    "flags" TEXT[],
    "openTaskRoles" TEXT[],
    "reportedAt" TIMESTAMP(3) NOT NULL,
    "handoverAt" TIMESTAMP(3),
    "overdueSince" TIMESTAMP(3),
    "lastProgressAt" TIMESTAMP(3) NOT NULL,
    "outcomeCode" TEXT,
    "outcomeReason" TEXT,
    "closedAt" TIMESTAMP(3),
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseReport" (
    "caseId" TEXT NOT NULL,
    "officerName" TEXT NOT NULL,
    "callbackNumber" TEXT NOT NULL,
    "eventAddress" TEXT NOT NULL,
    "reportedAt" TIMESTAMP(3) NOT NULL,
    "immediateDangers" TEXT[],
    "narrative" TEXT NOT NULL,

    CONSTRAINT "CaseReport_pkey" PRIMARY KEY ("caseId")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "firstName" TEXT,
    "lastName" TEXT,
    "birthYear" INTEGER,
    "isMinor" BOOLEAN NOT NULL DEFAULT false,
    "gender" TEXT,
    "nationality" TEXT,
    "notes" TEXT,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "candidateRole" TEXT NOT NULL,
    "comuneCode" TEXT,
    "assigneeId" TEXT,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "claimedAt" TIMESTAMP(3),
    "dueAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "completedById" TEXT,
    "escalatedAt" TIMESTAMP(3),
    "escalation" JSONB NOT NULL,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaskSubmission" (
    "taskId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "form" JSONB NOT NULL,
    "submittedById" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TaskSubmission_pkey" PRIMARY KEY ("taskId")
);

-- CreateTable
CREATE TABLE "TimelineEntry" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "TimelineEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Note" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "authorRole" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProtectedPlacement" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "resourceId" TEXT,
    "address" TEXT NOT NULL,
    "placedAt" TIMESTAMP(3) NOT NULL,
    "createdById" TEXT NOT NULL,

    CONSTRAINT "ProtectedPlacement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResourceActivation" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "resourceId" TEXT,
    "kind" TEXT NOT NULL,
    "activatedAt" TIMESTAMP(3) NOT NULL,
    "byUserId" TEXT NOT NULL,

    CONSTRAINT "ResourceActivation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reminder" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "firedAt" TIMESTAMP(3),
    "handedTo" TEXT,

    CONSTRAINT "Reminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HandoverSummary" (
    "caseId" TEXT NOT NULL,
    "comuneCode" TEXT NOT NULL,
    "external" BOOLEAN NOT NULL,
    "openingAt" TIMESTAMP(3) NOT NULL,
    "summary" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HandoverSummary_pkey" PRIMARY KEY ("caseId")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipientRole" TEXT NOT NULL,
    "comuneCode" TEXT,
    "taskId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "caseId" TEXT,
    "outcome" TEXT NOT NULL,
    "requestId" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Resource_type_active_idx" ON "Resource"("type", "active");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE UNIQUE INDEX "Case_reference_key" ON "Case"("reference");

-- CreateIndex
CREATE UNIQUE INDEX "Case_workflowId_key" ON "Case"("workflowId");

-- CreateIndex
CREATE UNIQUE INDEX "Case_idempotencyKey_key" ON "Case"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Case_status_step_idx" ON "Case"("status", "step");

-- CreateIndex
CREATE INDEX "Case_competentComuneCode_status_idx" ON "Case"("competentComuneCode", "status");

-- CreateIndex
CREATE INDEX "Case_eventComuneCode_idx" ON "Case"("eventComuneCode");

-- CreateIndex
CREATE INDEX "Case_riskLevel_idx" ON "Case"("riskLevel");

-- CreateIndex
CREATE INDEX "Case_overdueSince_idx" ON "Case"("overdueSince");

-- CreateIndex
CREATE INDEX "Case_lastProgressAt_idx" ON "Case"("lastProgressAt");

-- CreateIndex
CREATE INDEX "Case_createdAt_idx" ON "Case"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Case_reportingForce_reportNumber_key" ON "Case"("reportingForce", "reportNumber");

-- CreateIndex
CREATE INDEX "Person_caseId_idx" ON "Person"("caseId");

-- CreateIndex
CREATE INDEX "Task_status_candidateRole_idx" ON "Task"("status", "candidateRole");

-- CreateIndex
CREATE INDEX "Task_assigneeId_status_idx" ON "Task"("assigneeId", "status");

-- CreateIndex
CREATE INDEX "Task_caseId_idx" ON "Task"("caseId");

-- CreateIndex
CREATE INDEX "Task_dueAt_idx" ON "Task"("dueAt");

-- CreateIndex
CREATE INDEX "TaskSubmission_caseId_idx" ON "TaskSubmission"("caseId");

-- CreateIndex
CREATE INDEX "TimelineEntry_caseId_seq_idx" ON "TimelineEntry"("caseId", "seq");

-- CreateIndex
CREATE INDEX "Note_caseId_createdAt_idx" ON "Note"("caseId", "createdAt");

-- CreateIndex
CREATE INDEX "ProtectedPlacement_caseId_idx" ON "ProtectedPlacement"("caseId");

-- CreateIndex
CREATE INDEX "ResourceActivation_caseId_idx" ON "ResourceActivation"("caseId");

-- CreateIndex
CREATE INDEX "Reminder_dueAt_idx" ON "Reminder"("dueAt");

-- CreateIndex
CREATE INDEX "Reminder_caseId_idx" ON "Reminder"("caseId");

-- CreateIndex
CREATE INDEX "Notification_deliveredAt_idx" ON "Notification"("deliveredAt");

-- CreateIndex
CREATE INDEX "AuditEvent_caseId_at_idx" ON "AuditEvent"("caseId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_userId_at_idx" ON "AuditEvent"("userId", "at");

-- AddForeignKey
ALTER TABLE "Comune" ADD CONSTRAINT "Comune_ambitoId_fkey" FOREIGN KEY ("ambitoId") REFERENCES "Ambito"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_comuneCode_fkey" FOREIGN KEY ("comuneCode") REFERENCES "Comune"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseReport" ADD CONSTRAINT "CaseReport_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskSubmission" ADD CONSTRAINT "TaskSubmission_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimelineEntry" ADD CONSTRAINT "TimelineEntry_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Note" ADD CONSTRAINT "Note_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProtectedPlacement" ADD CONSTRAINT "ProtectedPlacement_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceActivation" ADD CONSTRAINT "ResourceActivation_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reminder" ADD CONSTRAINT "Reminder_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HandoverSummary" ADD CONSTRAINT "HandoverSummary_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Human-readable case references (PIS-<year>-<n>).
CREATE SEQUENCE "case_reference_seq";

-- The timeline and the audit trail are append-only: no update, no delete, not even by mistake.
CREATE FUNCTION "forbid_change"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "TimelineEntry_append_only" BEFORE UPDATE OR DELETE ON "TimelineEntry"
  FOR EACH ROW EXECUTE FUNCTION "forbid_change"();
CREATE TRIGGER "AuditEvent_append_only" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "forbid_change"();
