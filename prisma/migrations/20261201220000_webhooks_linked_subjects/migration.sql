-- A service's id linked to an Accord account (external_subjects.user_id,
-- lib/service-api/subject-links.ts) is recorded under the account's ledger
-- subject: consent.changed and agreement.accepted for the account's events
-- name the service's id too, including changes the person makes signed in on
-- Accord's own pages. The link wins over the id's own subject.
CREATE OR REPLACE FUNCTION accord_webhooks_on_consent_event() RETURNS trigger
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
    'externalId', (SELECT x.external_id FROM external_subjects x
                    WHERE x.user_id = NEW.subject_id OR x.subject_id = NEW.subject_id
                    ORDER BY x.user_id = NEW.subject_id DESC LIMIT 1),
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
REVOKE ALL ON FUNCTION accord_webhooks_on_consent_event() FROM PUBLIC;
