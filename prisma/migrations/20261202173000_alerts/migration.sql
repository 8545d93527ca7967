-- Alerts: change events for the push stream, duty shifts, e-mail contacts, e-mail delivery of notifications.

CREATE TABLE "ChangeEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "caseId" TEXT,
    "ambitoId" TEXT,
    "eventComuneCode" TEXT,
    "competentComuneCode" TEXT,
    "taskId" TEXT,
    "taskType" TEXT,
    "taskStatus" TEXT,
    "candidateRole" TEXT,
    "taskComuneCode" TEXT,
    "assigneeId" TEXT,
    "available" BOOLEAN NOT NULL DEFAULT false,
    "userId" TEXT,

    CONSTRAINT "ChangeEvent_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ChangeEvent_at_idx" ON "ChangeEvent"("at");

CREATE TABLE "DutyShift" (
    "id" BIGSERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "from" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "to" TIMESTAMP(3),

    CONSTRAINT "DutyShift_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "DutyShift_userId_to_idx" ON "DutyShift"("userId", "to");
CREATE INDEX "DutyShift_to_idx" ON "DutyShift"("to");

CREATE TABLE "StaffContact" (
    "userId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffContact_pkey" PRIMARY KEY ("userId")
);

-- Notifications written before this migration were never meant to be mailed: "skipped".
ALTER TABLE "Notification" ADD COLUMN "mailState" TEXT NOT NULL DEFAULT 'skipped',
ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "lastAttemptAt" TIMESTAMP(3),
ADD COLUMN "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN "sentAt" TIMESTAMP(3),
ADD COLUMN "mailError" TEXT,
ADD COLUMN "mailNote" TEXT;
ALTER TABLE "Notification" ALTER COLUMN "mailState" SET DEFAULT 'new';
CREATE INDEX "Notification_mailState_nextAttemptAt_idx" ON "Notification"("mailState", "nextAttemptAt");
