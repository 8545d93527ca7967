-- CreateTable
CREATE TABLE "AdminChange" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "AdminChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AdminChange_entity_entityId_at_idx" ON "AdminChange"("entity", "entityId", "at");

-- CreateIndex
CREATE INDEX "AdminChange_at_idx" ON "AdminChange"("at");
