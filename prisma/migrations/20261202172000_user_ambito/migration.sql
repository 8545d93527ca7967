-- The Ambiti whose cases a user sees.
CREATE TABLE "UserAmbito" (
    "userId" TEXT NOT NULL,
    "ambitoId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UserAmbito_pkey" PRIMARY KEY ("userId","ambitoId")
);

CREATE INDEX "UserAmbito_ambitoId_idx" ON "UserAmbito"("ambitoId");

ALTER TABLE "UserAmbito" ADD CONSTRAINT "UserAmbito_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "UserAmbito" ADD CONSTRAINT "UserAmbito_ambitoId_fkey" FOREIGN KEY ("ambitoId") REFERENCES "Ambito"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Backfill: until now every user worked for the one Ambito, the Rhodense. Social workers are
-- scoped by their Comune and admin sees everything, so neither needs a row.
INSERT INTO "UserAmbito" ("userId", "ambitoId")
SELECT u.id, a.id FROM "User" u CROSS JOIN "Ambito" a
WHERE a.id = 'rhodense' AND u.role NOT IN ('admin', 'social_worker')
ON CONFLICT DO NOTHING;
