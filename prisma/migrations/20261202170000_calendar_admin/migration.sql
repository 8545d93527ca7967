-- CreateTable
CREATE TABLE "ProtocolSettingsVersion" (
    "id" BIGSERIAL NOT NULL,
    "ambitoId" TEXT NOT NULL,
    "effectiveFrom" TIMESTAMP(3) NOT NULL,
    "values" JSONB NOT NULL,
    "changedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProtocolSettingsVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HandoverRecompute" (
    "id" TEXT NOT NULL,
    "comuneCode" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastAttemptAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "HandoverRecompute_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProtocolSettingsVersion_ambitoId_effectiveFrom_key" ON "ProtocolSettingsVersion"("ambitoId", "effectiveFrom");

-- CreateIndex
CREATE INDEX "HandoverRecompute_createdAt_idx" ON "HandoverRecompute"("createdAt");

-- Existing per-Ambito settings become the first version (in force since always), then one table holds them.
INSERT INTO "ProtocolSettingsVersion" ("ambitoId", "effectiveFrom", "values", "changedBy")
SELECT "ambitoId", TIMESTAMP '1970-01-01 00:00:00', "settings", 'migration' FROM "ProtocolSettings";

-- DropTable
DROP TABLE "ProtocolSettings";
