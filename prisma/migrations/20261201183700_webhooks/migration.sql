-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'SENDING', 'DELIVERED', 'FAILED');

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "event_types" TEXT[],
    "secret_sealed" TEXT NOT NULL,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "disabled_at" TIMESTAMPTZ(3),
    "disabled_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by_id" UUID,
    "created_by_key_id" UUID,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "message_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "locked_at" TIMESTAMPTZ(3),
    "last_status" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_attempts" (
    "id" BIGSERIAL NOT NULL,
    "delivery_id" BIGINT NOT NULL,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL,
    "status_code" INTEGER,
    "duration_ms" INTEGER NOT NULL,
    "error" TEXT,

    CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_endpoints_created_at_idx" ON "webhook_endpoints"("created_at" DESC);

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_endpoint_id_created_at_idx" ON "webhook_deliveries"("endpoint_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_endpoint_id_message_id_key" ON "webhook_deliveries"("endpoint_id", "message_id");

-- CreateIndex
CREATE INDEX "webhook_attempts_delivery_id_attempted_at_idx" ON "webhook_attempts"("delivery_id", "attempted_at");

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Webhooks (docs/webhooks.md) -------------------------------------------------

-- Only known event types (a trigger, not a CHECK: the WebAssembly schema
-- engine cannot introspect a CHECK over an array, which breaks db:diff).
CREATE FUNCTION accord_webhook_event_types_known() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF cardinality(NEW.event_types) IS NULL OR cardinality(NEW.event_types) = 0
    OR NOT NEW.event_types <@ ARRAY['consent.changed', 'agreement.published', 'agreement.accepted',
      'subject.deregistered']::text[] THEN
    RAISE EXCEPTION 'webhook_endpoints_event_types_known: unknown or no event types %', NEW.event_types
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER webhook_endpoints_event_types_known BEFORE INSERT OR UPDATE OF event_types ON webhook_endpoints
  FOR EACH ROW EXECUTE FUNCTION accord_webhook_event_types_known();

-- The outbox's one entry point: a delivery row per active endpoint subscribed
-- to p_type, in the caller's transaction, so a rolled-back change never
-- delivers and a committed one always does. The same message id on every
-- endpoint (and ON CONFLICT) makes a repeated call harmless. pg_notify is
-- transactional too: the dispatcher wakes at commit, not before.
CREATE FUNCTION accord_enqueue_webhook(p_type text, p_message_id text, p_data jsonb, p_at timestamptz)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_count integer;
BEGIN
  INSERT INTO webhook_deliveries (endpoint_id, message_id, event_type, payload, status, attempts,
    next_attempt_at, created_at)
  SELECT e.id, p_message_id, p_type,
    jsonb_build_object('type', p_type,
      'timestamp', to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'data', p_data),
    'PENDING', 0, p_at, p_at
  FROM webhook_endpoints e
  WHERE e.disabled_at IS NULL AND p_type = ANY (e.event_types)
  ON CONFLICT (endpoint_id, message_id) DO NOTHING;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  IF v_count > 0 THEN
    PERFORM pg_notify('accord_webhooks', '');
  END IF;
  RETURN v_count;
END
$$;

-- Every ledger write path (web, API, GPC, hosted flows) ends in an INSERT on
-- consent_events, so one trigger covers them all. With no endpoint
-- subscribed it costs one lookup in a small table.
CREATE FUNCTION accord_webhooks_on_consent_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_type text;
BEGIN
  v_type := CASE NEW.action
    WHEN 'AGREEMENT_ACCEPTED' THEN 'agreement.accepted'
    WHEN 'AGREEMENT_DECLINED' THEN 'consent.changed'
    WHEN 'PURPOSE_GRANTED' THEN 'consent.changed'
    WHEN 'PURPOSE_WITHDRAWN' THEN 'consent.changed'
    ELSE NULL END;
  IF v_type IS NULL OR NOT EXISTS (
    SELECT 1 FROM webhook_endpoints WHERE disabled_at IS NULL AND v_type = ANY (event_types)) THEN
    RETURN NULL;
  END IF;
  PERFORM accord_enqueue_webhook(v_type, 'msg_' || NEW.id::text, jsonb_build_object(
    'eventId', NEW.id,
    'subjectId', NEW.subject_id,
    'action', NEW.action,
    'purposeKey', NEW.purpose_key,
    'granted', CASE NEW.action WHEN 'PURPOSE_GRANTED' THEN to_jsonb(true)
      WHEN 'PURPOSE_WITHDRAWN' THEN to_jsonb(false) ELSE 'null'::jsonb END,
    'versionNumber', NEW.version_number,
    'method', NEW.method,
    'recordedAt', to_char(NEW.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
    NEW.recorded_at);
  RETURN NULL;
END
$$;

CREATE TRIGGER consent_events_webhooks AFTER INSERT ON consent_events
  FOR EACH ROW EXECUTE FUNCTION accord_webhooks_on_consent_event();

-- agreement.published: when a draft gets its published_at, in the publishing transaction.
CREATE FUNCTION accord_webhooks_on_version_published() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM accord_enqueue_webhook('agreement.published', 'msg_' || NEW.id::text, jsonb_build_object(
    'versionId', NEW.id,
    'versionNumber', NEW.number,
    'title', NEW.title,
    'material', NEW.material,
    'changeSummary', NEW.change_summary,
    'publishedAt', to_char(NEW.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'effectiveAt', to_char(NEW.effective_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
    NEW.published_at);
  RETURN NULL;
END
$$;

CREATE TRIGGER agreement_versions_webhooks_published AFTER UPDATE OF published_at ON agreement_versions
  FOR EACH ROW WHEN (OLD.published_at IS NULL AND NEW.published_at IS NOT NULL)
  EXECUTE FUNCTION accord_webhooks_on_version_published();
CREATE TRIGGER agreement_versions_webhooks_inserted AFTER INSERT ON agreement_versions
  FOR EACH ROW WHEN (NEW.published_at IS NOT NULL)
  EXECUTE FUNCTION accord_webhooks_on_version_published();

-- Who may run what is granted in one place after every migration (prisma/grants.ts).
REVOKE ALL ON FUNCTION accord_enqueue_webhook(text, text, jsonb, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION accord_webhooks_on_consent_event() FROM PUBLIC;
REVOKE ALL ON FUNCTION accord_webhooks_on_version_published() FROM PUBLIC;
