-- CreateTable
CREATE TABLE "PersonSearchAudit" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "criteria" JSONB NOT NULL,
    "resultCount" INTEGER NOT NULL,

    CONSTRAINT "PersonSearchAudit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PersonLink" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "earlierPersonId" TEXT NOT NULL,
    "earlierCaseId" TEXT NOT NULL,
    "linkedById" TEXT NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PersonLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PersonSearchAudit_userId_at_idx" ON "PersonSearchAudit"("userId", "at");

-- CreateIndex
CREATE INDEX "PersonSearchAudit_at_idx" ON "PersonSearchAudit"("at");

-- CreateIndex
CREATE INDEX "PersonLink_caseId_idx" ON "PersonLink"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "PersonLink_personId_earlierPersonId_key" ON "PersonLink"("personId", "earlierPersonId");
