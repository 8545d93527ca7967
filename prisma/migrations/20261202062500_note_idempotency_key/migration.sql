-- AlterTable
ALTER TABLE "Note" ADD COLUMN     "idempotencyKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Note_authorId_idempotencyKey_key" ON "Note"("authorId", "idempotencyKey");
