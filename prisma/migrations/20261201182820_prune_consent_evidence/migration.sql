-- AlterTable
ALTER TABLE "consent_events" ADD COLUMN     "pruned_at" TIMESTAMPTZ(3);

-- Pruning (retention and erasure, docs/ledger.md §12): an event's personal
-- evidence fields are removed while its stored hash, chain links and Merkle
-- leaf stay as they are, so every chain, checkpoint and proof keeps verifying.
-- The verifiers report such an event as "pruned" (its hash is taken as
-- stored), never as missing or tampered.
--
-- The append-only trigger of consent_events now lets exactly one kind of
-- UPDATE through, and only while accord_prune_consent_evidence runs (it sets
-- accord.pruning for its own statement): an event not yet pruned becomes
-- pruned, ip_truncated, user_agent and locale become NULL, the idempotency key
-- becomes 'pruned:' || its SHA-256 (still unique per subject; it may be a
-- client's free text), and every other column stays exactly as it was.
-- Every other UPDATE, every DELETE and TRUNCATE is still refused (ZA001).
CREATE FUNCTION accord_consent_events_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_personal CONSTANT text[] := ARRAY['ip_truncated', 'user_agent', 'locale', 'idempotency_key', 'pruned_at'];
BEGIN
  IF TG_OP = 'UPDATE'
     AND current_setting('accord.pruning', true) = 'on'
     AND OLD.pruned_at IS NULL AND NEW.pruned_at IS NOT NULL
     AND NEW.ip_truncated IS NULL AND NEW.user_agent IS NULL AND NEW.locale IS NULL
     AND NEW.idempotency_key = 'pruned:' || encode(sha256(convert_to(OLD.idempotency_key, 'UTF8')), 'hex')
     AND (to_jsonb(NEW) - v_personal) = (to_jsonb(OLD) - v_personal)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'ZA001',
          HINT = 'Record a new row instead; personal fields are removed only by accord_prune_consent_evidence.';
END;
$$;

DROP TRIGGER consent_events_append_only ON consent_events;
CREATE TRIGGER consent_events_append_only
  BEFORE UPDATE OR DELETE ON consent_events
  FOR EACH ROW EXECUTE FUNCTION accord_consent_events_guard();

-- Prunes the given events and every event of the given subjects. Only events
-- under a signed checkpoint are pruned (their leaf is older than the latest
-- checkpoint's size): the sequencer checks the signature of every event it
-- gives a leaf and of leaves not yet signed, which a pruned event no longer
-- has. One row per matching event: 'pruned', 'already_pruned', or
-- 'not_yet_in_log' (run the sequencer and call again).
CREATE FUNCTION accord_prune_consent_evidence(p_event_ids uuid[], p_subject_ids uuid[], p_at timestamptz)
RETURNS TABLE (event_id uuid, outcome text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
  v_signed bigint;
BEGIN
  IF p_at IS NULL THEN
    RAISE EXCEPTION 'p_at is required' USING ERRCODE = 'ZA003';
  END IF;
  SELECT COALESCE(max(c.tree_size), 0) INTO v_signed FROM ledger_tree_checkpoints c;
  PERFORM set_config('accord.pruning', 'on', true);
  RETURN QUERY
  WITH target AS (
    SELECT e.id, e.pruned_at AS was_pruned, l.leaf_index
      FROM consent_events e LEFT JOIN ledger_leaves l ON l.event_id = e.id
     WHERE e.id = ANY (COALESCE(p_event_ids, '{}')) OR e.subject_id = ANY (COALESCE(p_subject_ids, '{}'))
       FOR UPDATE OF e
  ), pruned AS (
    UPDATE consent_events e
       SET ip_truncated = NULL, user_agent = NULL, locale = NULL,
           idempotency_key = 'pruned:' || encode(sha256(convert_to(e.idempotency_key, 'UTF8')), 'hex'),
           pruned_at = p_at
      FROM target t
     WHERE e.id = t.id AND t.was_pruned IS NULL AND t.leaf_index IS NOT NULL AND t.leaf_index < v_signed
    RETURNING e.id
  )
  SELECT t.id,
         CASE WHEN t.was_pruned IS NOT NULL THEN 'already_pruned'
              WHEN p.id IS NOT NULL THEN 'pruned'
              ELSE 'not_yet_in_log' END
    FROM target t LEFT JOIN pruned p ON p.id = t.id;
  PERFORM set_config('accord.pruning', 'off', true);
END;
$$;

REVOKE ALL ON FUNCTION accord_prune_consent_evidence(uuid[], uuid[], timestamptz) FROM PUBLIC;
