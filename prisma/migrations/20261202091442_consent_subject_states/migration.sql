-- Each subject's consent states, ready to send, on its chain head row
-- (issue 12, docs/integration.md "Reading status in one query").
--
-- A status read sent each purpose's state by aggregating the subject's
-- consent_states rows into JSON in every read: a second index scan, an
-- aggregate and a timestamp format per state, most of what the statement
-- cost PostgreSQL beyond finding the subject. consent_subjects.states now
-- holds them as one JSON object by purpose key, each {granted, noticeSha256,
-- method, updatedAt} as the answer sends it (null while the subject has no
-- state), so a status read is the subject's head row and nothing else.
--
-- The append keeps it, in the statement that upserts the consent_states row
-- it copies: the head update it already makes sets the purpose's entry
-- (jsonb, so that is one concatenation, no parse of the other entries).
-- The append is the only writer of both (prisma/grants.ts), and
-- `npm run ledger:verify` names a copy that does not match consent_states,
-- as it names consent_states rows that do not match the ledger. (A trigger on
-- consent_states did the same for any writer, but cost each recorded
-- decision 15% more PostgreSQL time, a json array rebuilt in the append 10%,
-- this 4%: docs/benchmarks.md.)

-- AlterTable
ALTER TABLE "consent_subjects" ADD COLUMN     "states" JSONB;

-- The subjects recorded so far.
UPDATE consent_subjects s SET states = c.states FROM (SELECT cs.subject_id, jsonb_object_agg(cs.purpose_key, jsonb_build_object('granted', cs.granted, 'noticeSha256', cs.notice_sha256, 'method', cs.method, 'updatedAt', to_char(cs.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) AS states FROM consent_states cs GROUP BY cs.subject_id) c WHERE c.subject_id = s.subject_id;

-- The append, as in 20261201160329_ledger_log, with the head update keeping the copy.
CREATE OR REPLACE FUNCTION accord_append_consent_event(
  p_id uuid, p_subject_id uuid, p_action "ConsentAction", p_version_id uuid, p_version_number integer,
  p_purpose_key text, p_notice_sha256 text, p_method "ConsentMethod", p_recorded_at timestamptz,
  p_ip_truncated text, p_user_agent text, p_locale text, p_idempotency_key text,
  p_signature text, p_key_id text, p_gpc text)
RETURNS TABLE (kind text, id text, seq integer, hash text, prev_hash text, recorded_at timestamptz,
  action text, purpose_key text, method text, version_number integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
  v_at timestamptz(3) := p_recorded_at;
  v_a text;
  v_b text;
  v_c text;
  v_row record;
BEGIN
  IF p_notice_sha256 !~ '^[0-9a-f]{64}$' THEN
    RAISE EXCEPTION 'noticeSha256 must be 64 lowercase hex digits' USING ERRCODE = 'ZA003';
  END IF;
  IF p_signature IS NULL OR length(decode(p_signature, 'base64')) <> 64 OR p_key_id !~ '^[0-9a-f]{8}$' THEN
    RAISE EXCEPTION 'an event needs the log key''s signature and key id' USING ERRCODE = 'ZA003';
  END IF;
  IF p_gpc IS NOT NULL AND p_gpc NOT IN ('set', 'clear') THEN
    RAISE EXCEPTION 'gpc must be set, clear or null' USING ERRCODE = 'ZA003';
  END IF;
  -- The canonical JSON around prevHash and seq (keys in RFC 8785 order).
  v_a := '{"action":' || to_json(p_action::text)::text
    || ',"id":' || to_json(p_id::text)::text
    || ',"idempotencyKey":' || to_json(p_idempotency_key)::text
    || ',"ipTruncated":' || COALESCE(to_json(p_ip_truncated)::text, 'null')
    || ',"locale":' || COALESCE(to_json(p_locale)::text, 'null')
    || ',"method":' || to_json(p_method::text)::text
    || ',"noticeSha256":' || to_json(p_notice_sha256)::text
    || ',"prevHash":"';
  v_b := '","purposeKey":' || COALESCE(to_json(p_purpose_key)::text, 'null')
    || ',"recordedAt":"' || to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    || '","seq":';
  v_c := ',"subjectId":' || to_json(p_subject_id::text)::text
    || ',"userAgent":' || COALESCE(to_json(p_user_agent)::text, 'null')
    || ',"v":1,"versionId":' || to_json(p_version_id::text)::text
    || ',"versionNumber":' || p_version_number::text || '}';

  FOR attempt IN 1..2 LOOP
    WITH locked AS (
      SELECT s.seq, s.head_hash FROM consent_subjects s WHERE s.subject_id = p_subject_id FOR UPDATE
    ), prior AS (
      SELECT e.id, e.seq, e.hash, e.prev_hash, e.recorded_at, e.action, e.purpose_key, e.method, e.version_number
        FROM consent_events e WHERE e.subject_id = p_subject_id AND e.idempotency_key = p_idempotency_key
    ), computed AS (
      SELECT l.seq + 1 AS seq, l.head_hash AS prev_hash,
        encode(sha256(convert_to(v_a || l.head_hash || v_b || (l.seq + 1)::text || v_c, 'UTF8')), 'hex') AS hash
      FROM locked l WHERE NOT EXISTS (SELECT 1 FROM prior)
    ), ins AS (
      INSERT INTO consent_events (id, subject_id, seq, action, version_id, version_number, purpose_key,
        notice_sha256, method, recorded_at, ip_truncated, user_agent, locale, idempotency_key, prev_hash, hash,
        signature, key_id)
      SELECT p_id, p_subject_id, c.seq, p_action, p_version_id, p_version_number, p_purpose_key, p_notice_sha256,
        p_method, v_at, p_ip_truncated, p_user_agent, p_locale, p_idempotency_key, c.prev_hash, c.hash,
        p_signature, p_key_id
      FROM computed c
      ON CONFLICT (subject_id, idempotency_key) DO NOTHING
      RETURNING consent_events.id, consent_events.seq, consent_events.hash, consent_events.prev_hash,
        consent_events.action, consent_events.purpose_key, consent_events.method, consent_events.version_number
    ), head AS (
      UPDATE consent_subjects s SET seq = ins.seq, head_hash = ins.hash, updated_at = v_at,
        accepted_version_id = CASE WHEN ins.action = 'AGREEMENT_ACCEPTED' THEN p_version_id ELSE s.accepted_version_id END,
        accepted_version_number = CASE WHEN ins.action = 'AGREEMENT_ACCEPTED' THEN p_version_number
          ELSE s.accepted_version_number END,
        accepted_at = CASE WHEN ins.action = 'AGREEMENT_ACCEPTED' THEN v_at ELSE s.accepted_at END,
        acknowledged_version_number = CASE WHEN ins.action = 'NOTICE_ACKNOWLEDGED'
          THEN GREATEST(COALESCE(s.acknowledged_version_number, 0), p_version_number)
          ELSE s.acknowledged_version_number END,
        gpc_applied_at = CASE p_gpc WHEN 'set' THEN v_at WHEN 'clear' THEN NULL ELSE s.gpc_applied_at END,
        -- The copy of the states (consent_subjects.states): the purpose's entry set to the new state.
        states = CASE WHEN ins.action IN ('PURPOSE_GRANTED', 'PURPOSE_WITHDRAWN') THEN
          COALESCE(s.states, '{}'::jsonb) || jsonb_build_object(ins.purpose_key, jsonb_build_object(
            'granted', ins.action = 'PURPOSE_GRANTED', 'noticeSha256', p_notice_sha256, 'method', p_method,
            'updatedAt', to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
          ELSE s.states END
      FROM ins WHERE s.subject_id = p_subject_id
    ), state AS (
      INSERT INTO consent_states (subject_id, purpose_key, granted, version_number, notice_sha256, method,
        event_id, updated_at)
      SELECT p_subject_id, ins.purpose_key, ins.action = 'PURPOSE_GRANTED', p_version_number, p_notice_sha256,
        p_method, ins.id, v_at
      FROM ins WHERE ins.action IN ('PURPOSE_GRANTED', 'PURPOSE_WITHDRAWN')
      ON CONFLICT (subject_id, purpose_key) DO UPDATE SET granted = EXCLUDED.granted,
        version_number = EXCLUDED.version_number, notice_sha256 = EXCLUDED.notice_sha256,
        method = EXCLUDED.method, event_id = EXCLUDED.event_id, updated_at = EXCLUDED.updated_at
    )
    SELECT * INTO v_row FROM (
      SELECT 'new' AS kind, ins.id::text AS id, ins.seq, ins.hash::text AS hash, ins.prev_hash::text AS prev_hash,
        v_at AS recorded_at, ins.action::text AS action, ins.purpose_key, ins.method::text AS method,
        ins.version_number FROM ins
      UNION ALL
      SELECT 'prior', p.id::text, p.seq, p.hash::text, p.prev_hash::text, p.recorded_at, p.action::text,
        p.purpose_key, p.method::text, p.version_number FROM prior p
      UNION ALL
      SELECT 'nohead', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM locked)
    ) r;
    IF v_row.kind IS NULL THEN
      -- The same key was committed by a concurrent append while this one waited for the head.
      RETURN QUERY SELECT 'prior'::text, e.id::text, e.seq, e.hash::text, e.prev_hash::text, e.recorded_at,
          e.action::text, e.purpose_key, e.method::text, e.version_number
        FROM consent_events e WHERE e.subject_id = p_subject_id AND e.idempotency_key = p_idempotency_key;
      RETURN;
    END IF;
    IF v_row.kind <> 'nohead' THEN
      RETURN QUERY SELECT v_row.kind, v_row.id, v_row.seq, v_row.hash, v_row.prev_hash, v_row.recorded_at,
        v_row.action, v_row.purpose_key, v_row.method, v_row.version_number;
      RETURN;
    END IF;
    -- A subject's first event: create the chain head (genesis) and try again.
    INSERT INTO consent_subjects (subject_id, seq, head_hash, updated_at)
      VALUES (p_subject_id, 0, repeat('0', 64), v_at) ON CONFLICT (subject_id) DO NOTHING;
  END LOOP;
  RAISE EXCEPTION 'consent ledger: the chain head of % could not be created', p_subject_id;
END;
$$;

REVOKE ALL ON FUNCTION accord_append_consent_event(uuid, uuid, "ConsentAction", uuid, integer, text, text,
  "ConsentMethod", timestamptz, text, text, text, text, text, text, text) FROM PUBLIC;
