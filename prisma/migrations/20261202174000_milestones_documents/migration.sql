-- CreateTable
CREATE TABLE "Milestone" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "legalSource" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "triggerAt" TIMESTAMP(3) NOT NULL,
    "triggerEstimated" BOOLEAN NOT NULL DEFAULT false,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3),
    "channel" TEXT,
    "pecProtocol" TEXT,
    "decreeDate" TIMESTAMP(3),
    "hearingDate" TIMESTAMP(3),
    "note" TEXT,
    "evidenceById" TEXT,
    "evidenceByRole" TEXT,
    "evidenceAt" TIMESTAMP(3),
    "missedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Milestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MilestoneEvidence" (
    "id" BIGSERIAL NOT NULL,
    "milestoneId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "fields" JSONB NOT NULL,

    CONSTRAINT "MilestoneEvidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MilestoneSettings" (
    "ambitoId" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MilestoneSettings_pkey" PRIMARY KEY ("ambitoId")
);

-- CreateTable
CREATE TABLE "DocumentGeneration" (
    "id" BIGSERIAL NOT NULL,
    "caseId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sha256" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,

    CONSTRAINT "DocumentGeneration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Milestone_caseId_kind_key" ON "Milestone"("caseId", "kind");

-- CreateIndex
CREATE INDEX "Milestone_state_dueAt_idx" ON "Milestone"("state", "dueAt");

-- CreateIndex
CREATE INDEX "MilestoneEvidence_milestoneId_at_idx" ON "MilestoneEvidence"("milestoneId", "at");

-- CreateIndex
CREATE INDEX "DocumentGeneration_caseId_at_idx" ON "DocumentGeneration"("caseId", "at");

-- AddForeignKey
ALTER TABLE "Milestone" ADD CONSTRAINT "Milestone_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
