-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'AUDITOR');

-- CreateEnum
CREATE TYPE "ConsentAction" AS ENUM ('AGREEMENT_ACCEPTED', 'AGREEMENT_DECLINED', 'PURPOSE_GRANTED', 'PURPOSE_WITHDRAWN', 'NOTICE_ACKNOWLEDGED');

-- CreateEnum
CREATE TYPE "ConsentMethod" AS ENUM ('WEB', 'API', 'GPC', 'SYSTEM');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "locale" TEXT NOT NULL DEFAULT 'en',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deregistered_at" TIMESTAMPTZ(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agreement_versions" (
    "id" UUID NOT NULL,
    "number" INTEGER,
    "title" TEXT NOT NULL,
    "body_markdown" TEXT NOT NULL,
    "body_sha256" CHAR(64) NOT NULL,
    "change_summary" TEXT,
    "material" BOOLEAN NOT NULL DEFAULT false,
    "effective_at" TIMESTAMPTZ(3),
    "last_updated" DATE,
    "published_at" TIMESTAMPTZ(3),
    "based_on_id" UUID,
    "created_by_id" UUID,
    "published_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agreement_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purposes" (
    "id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "basic" BOOLEAN NOT NULL DEFAULT false,
    "dpv_term" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "notice_sha256" CHAR(64) NOT NULL,

    CONSTRAINT "purposes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent_events" (
    "id" UUID NOT NULL,
    "position" BIGSERIAL NOT NULL,
    "subject_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "action" "ConsentAction" NOT NULL,
    "version_id" UUID NOT NULL,
    "version_number" INTEGER NOT NULL,
    "purpose_key" TEXT,
    "notice_sha256" CHAR(64) NOT NULL,
    "method" "ConsentMethod" NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    "ip_truncated" TEXT,
    "user_agent" TEXT,
    "locale" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "prev_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "txid" BIGINT NOT NULL DEFAULT (pg_current_xact_id())::text::bigint,

    CONSTRAINT "consent_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent_subjects" (
    "subject_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "head_hash" CHAR(64) NOT NULL,
    "accepted_version_id" UUID,
    "accepted_version_number" INTEGER,
    "accepted_at" TIMESTAMPTZ(3),
    "acknowledged_version_number" INTEGER,
    "gpc_applied_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "consent_subjects_pkey" PRIMARY KEY ("subject_id")
);

-- CreateTable
CREATE TABLE "consent_states" (
    "subject_id" UUID NOT NULL,
    "purpose_key" TEXT NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "version_number" INTEGER NOT NULL,
    "notice_sha256" CHAR(64) NOT NULL,
    "method" "ConsentMethod" NOT NULL,
    "event_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "consent_states_pkey" PRIMARY KEY ("subject_id","purpose_key")
);

-- CreateTable
CREATE TABLE "ledger_checkpoints" (
    "id" SERIAL NOT NULL,
    "txid_from" BIGINT NOT NULL,
    "txid_to" BIGINT NOT NULL,
    "event_count" INTEGER NOT NULL,
    "first_position" BIGINT,
    "last_position" BIGINT,
    "merkle_root" CHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actor_id" UUID,
    "actor_email" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "ip" TEXT,
    "user_agent" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_runs" (
    "id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID,
    "total" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "notification_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_created_at_idx" ON "users"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "agreement_versions_number_key" ON "agreement_versions"("number");

-- CreateIndex
CREATE INDEX "agreement_versions_published_at_effective_at_idx" ON "agreement_versions"("published_at", "effective_at");

-- CreateIndex
CREATE UNIQUE INDEX "purposes_version_id_key_key" ON "purposes"("version_id", "key");

-- CreateIndex
CREATE UNIQUE INDEX "consent_events_position_key" ON "consent_events"("position");

-- CreateIndex
CREATE INDEX "consent_events_recorded_at_id_idx" ON "consent_events"("recorded_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "consent_events_txid_idx" ON "consent_events"("txid");

-- CreateIndex
CREATE INDEX "consent_events_purpose_key_recorded_at_idx" ON "consent_events"("purpose_key", "recorded_at");

-- CreateIndex
CREATE UNIQUE INDEX "consent_events_subject_id_seq_key" ON "consent_events"("subject_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "consent_events_subject_id_idempotency_key_key" ON "consent_events"("subject_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "consent_subjects_accepted_version_number_idx" ON "consent_subjects"("accepted_version_number");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_checkpoints_txid_from_key" ON "ledger_checkpoints"("txid_from");

-- CreateIndex
CREATE INDEX "audit_log_created_at_id_idx" ON "audit_log"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "notification_runs_version_id_idx" ON "notification_runs"("version_id");

-- CreateIndex
CREATE INDEX "notifications_status_next_attempt_at_idx" ON "notifications"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_run_id_user_id_key" ON "notifications"("run_id", "user_id");

-- AddForeignKey
ALTER TABLE "purposes" ADD CONSTRAINT "purposes_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "agreement_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent_subjects" ADD CONSTRAINT "consent_subjects_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent_states" ADD CONSTRAINT "consent_states_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "consent_subjects"("subject_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_runs" ADD CONSTRAINT "notification_runs_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "agreement_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "notification_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
