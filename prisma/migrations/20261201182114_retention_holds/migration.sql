-- CreateEnum
CREATE TYPE "LegalHoldBasis" AS ENUM ('COURT', 'AUTHORITY', 'LAW', 'DISPUTE');

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "erased_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "rights_policy" ADD COLUMN     "audit_log_days" INTEGER NOT NULL DEFAULT 1095,
ADD COLUMN     "consent_evidence_days" INTEGER NOT NULL DEFAULT 1095,
ADD COLUMN     "deregistration_grace_days" INTEGER NOT NULL DEFAULT 15,
ADD COLUMN     "rate_limit_days" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "sent_mail_days" INTEGER NOT NULL DEFAULT 90;

-- CreateTable
CREATE TABLE "legal_holds" (
    "id" UUID NOT NULL,
    "subject_id" UUID NOT NULL,
    "basis" "LegalHoldBasis" NOT NULL,
    "reason" TEXT NOT NULL,
    "placed_at" TIMESTAMPTZ(3) NOT NULL,
    "placed_by_id" UUID NOT NULL,
    "released_at" TIMESTAMPTZ(3),
    "released_by_id" UUID,

    CONSTRAINT "legal_holds_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "legal_holds_subject_id_released_at_idx" ON "legal_holds"("subject_id", "released_at");

-- AddForeignKey
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Retention of the audit log (docs/rights.md, "Retention"). The log stays
-- append-only for every writer: UPDATE, TRUNCATE and DELETE are still refused
-- (ZA001), except a DELETE made by accord_purge_audit_log, which the runtime
-- role may only EXECUTE (it has no DELETE privilege on the table). The function
-- marks its own transaction with a local setting the trigger recognises.
CREATE FUNCTION accord_audit_log_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('accord.audit_retention', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'ZA001',
          HINT = 'Record a new row instead of changing or removing an existing one.';
END;
$$;

DROP TRIGGER audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION accord_audit_log_guard();

-- Deletes the entries recorded before p_before, except those whose actor or
-- target is in p_keep (subjects on legal hold); returns how many. With
-- p_dry_run it only counts them.
CREATE FUNCTION accord_purge_audit_log(p_before timestamptz, p_dry_run boolean, p_keep text[])
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_count bigint;
BEGIN
  IF p_dry_run THEN
    SELECT count(*) INTO v_count FROM audit_log
    WHERE created_at < p_before
      AND NOT (coalesce(actor_id::text, '') = ANY(p_keep) OR coalesce(target_id, '') = ANY(p_keep));
    RETURN v_count;
  END IF;
  PERFORM set_config('accord.audit_retention', 'on', true);
  DELETE FROM audit_log
  WHERE created_at < p_before
    AND NOT (coalesce(actor_id::text, '') = ANY(p_keep) OR coalesce(target_id, '') = ANY(p_keep));
  GET DIAGNOSTICS v_count = ROW_COUNT;
  PERFORM set_config('accord.audit_retention', 'off', true);
  RETURN v_count;
END;
$$;
