-- The opening hours move into the contacts; the directory gains notes and live availability.
UPDATE "Resource" SET "contacts" = "contacts" || jsonb_build_object('hours', "availability") WHERE "availability" IS NOT NULL;
ALTER TABLE "Resource" DROP COLUMN "availability",
ADD COLUMN     "notes" TEXT,
ADD COLUMN     "available" INTEGER,
ADD COLUMN     "availableNote" TEXT,
ADD COLUMN     "availableUpdatedAt" TIMESTAMP(3),
ADD COLUMN     "availableUpdatedById" TEXT;

-- A resource with a capacity starts with every unit free.
UPDATE "Resource" SET "available" = "capacity" WHERE "capacity" IS NOT NULL;

ALTER TABLE "Resource" ADD CONSTRAINT "Resource_available_range" CHECK ("available" IS NULL OR ("available" >= 0 AND "capacity" IS NOT NULL AND "available" <= "capacity"));

-- CreateTable
CREATE TABLE "ResourceHold" (
    "taskId" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requestId" TEXT,
    "heldById" TEXT NOT NULL,
    "heldAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" TIMESTAMP(3),
    "releasedAt" TIMESTAMP(3),
    "releasedById" TEXT,
    "releaseReason" TEXT,

    CONSTRAINT "ResourceHold_pkey" PRIMARY KEY ("taskId","resourceId"),
    CONSTRAINT "ResourceHold_status_check" CHECK ("status" IN ('held', 'confirmed', 'released'))
);

-- CreateIndex
CREATE INDEX "ResourceHold_caseId_idx" ON "ResourceHold"("caseId");

-- CreateIndex
CREATE INDEX "ResourceHold_requestId_idx" ON "ResourceHold"("requestId");

-- CreateIndex
CREATE INDEX "ResourceHold_resourceId_status_idx" ON "ResourceHold"("resourceId", "status");

-- AddForeignKey
ALTER TABLE "ResourceHold" ADD CONSTRAINT "ResourceHold_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
