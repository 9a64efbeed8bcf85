-- AlterEnum
ALTER TYPE "ConsentMethod" ADD VALUE 'APP';

-- DropForeignKey
ALTER TABLE "consent_subjects" DROP CONSTRAINT "consent_subjects_subject_id_fkey";

-- CreateTable
CREATE TABLE "external_subjects" (
    "external_id" TEXT NOT NULL,
    "subject_id" UUID NOT NULL,
    "user_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by_key_id" UUID,

    CONSTRAINT "external_subjects_pkey" PRIMARY KEY ("external_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "external_subjects_subject_id_key" ON "external_subjects"("subject_id");

-- CreateIndex
CREATE UNIQUE INDEX "external_subjects_user_id_key" ON "external_subjects"("user_id");

-- AddForeignKey
ALTER TABLE "external_subjects" ADD CONSTRAINT "external_subjects_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
