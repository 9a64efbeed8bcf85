-- CreateEnum
CREATE TYPE "RightsRequestType" AS ENUM ('CORRECTION', 'DELETION', 'QUESTION', 'CLOSURE');

-- CreateEnum
CREATE TYPE "RightsRequestStatus" AS ENUM ('RECEIVED', 'IN_PROGRESS', 'COMPLETED', 'REFUSED', 'WITHDRAWN');

-- DropForeignKey
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_run_id_fkey";

-- AlterTable
ALTER TABLE "notifications" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'version-notice',
ADD COLUMN     "payload" JSONB NOT NULL DEFAULT '{}',
ALTER COLUMN "run_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "rights_requests" (
    "id" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "type" "RightsRequestType" NOT NULL,
    "status" "RightsRequestStatus" NOT NULL DEFAULT 'RECEIVED',
    "subject_id" UUID NOT NULL,
    "message" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "assignee_id" UUID,
    "outcome" TEXT,
    "closed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rights_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rights_request_notes" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rights_request_notes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rights_policy" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "request_deadline_days" INTEGER NOT NULL DEFAULT 15,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "rights_policy_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "rights_requests_reference_key" ON "rights_requests"("reference");

-- CreateIndex
CREATE INDEX "rights_requests_status_due_at_idx" ON "rights_requests"("status", "due_at");

-- CreateIndex
CREATE INDEX "rights_requests_subject_id_received_at_idx" ON "rights_requests"("subject_id", "received_at");

-- CreateIndex
CREATE INDEX "rights_request_notes_request_id_created_at_idx" ON "rights_request_notes"("request_id", "created_at");

-- CreateIndex
CREATE INDEX "notifications_user_id_idx" ON "notifications"("user_id");

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "notification_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rights_requests" ADD CONSTRAINT "rights_requests_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rights_requests" ADD CONSTRAINT "rights_requests_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rights_request_notes" ADD CONSTRAINT "rights_request_notes_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "rights_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rights_request_notes" ADD CONSTRAINT "rights_request_notes_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
