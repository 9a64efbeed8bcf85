-- The append-only guard of consent_events, made cheap for pruning (issue 11,
-- bench/rights-retention.ts) with exactly the protection of migration
-- 20261201182820_prune_consent_evidence (docs/ledger.md §12):
--
-- Before, every pruned row called a PL/pgSQL function that built
-- to_jsonb(NEW) and to_jsonb(OLD), removed the five personal keys from both
-- and compared them: about as costly as the UPDATE itself. Now the allowed
-- shape is the trigger's WHEN condition, which PostgreSQL evaluates in the
-- executor without calling any function for a row that passes; only a row
-- that fails it calls accord_consent_events_guard(), which refuses.
--
-- "Every other column unchanged" stays a whole-row comparison, so columns
-- added later are covered without touching this trigger: NEW with its five
-- personal columns set back to OLD's values (jsonb_populate_record overrides
-- only the keys it is given, keeping every other column of NEW as it is) must
-- be byte-for-byte the row OLD (the record image operator *=, which compares
-- every column, dropped ones excepted, by its stored bytes, and needs no
-- equality operator for the column's type).
--
-- `(…) IS NOT TRUE`: a condition that comes out NULL (the setting absent, a
-- NULL key) refuses, like a false one.
CREATE OR REPLACE FUNCTION accord_consent_events_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'ZA001',
          HINT = 'Record a new row instead; personal fields are removed only by accord_prune_consent_evidence.';
END;
$$;

DROP TRIGGER consent_events_append_only ON consent_events;
CREATE TRIGGER consent_events_append_only
  BEFORE UPDATE ON consent_events
  FOR EACH ROW
  WHEN ((current_setting('accord.pruning', true) = 'on'
         AND OLD.pruned_at IS NULL AND NEW.pruned_at IS NOT NULL
         AND NEW.ip_truncated IS NULL AND NEW.user_agent IS NULL AND NEW.locale IS NULL
         AND NEW.idempotency_key = 'pruned:' || encode(sha256(convert_to(OLD.idempotency_key, 'UTF8')), 'hex')
         AND OLD OPERATOR(pg_catalog.*=) jsonb_populate_record(NEW, jsonb_build_object(
               'ip_truncated', OLD.ip_truncated, 'user_agent', OLD.user_agent, 'locale', OLD.locale,
               'idempotency_key', OLD.idempotency_key, 'pruned_at', OLD.pruned_at))) IS NOT TRUE)
  EXECUTE FUNCTION accord_consent_events_guard();
CREATE TRIGGER consent_events_no_delete
  BEFORE DELETE ON consent_events
  FOR EACH ROW EXECUTE FUNCTION accord_consent_events_guard();

-- The pruning function without its row locks: the UPDATE locks the rows it
-- changes and re-checks `pruned_at IS NULL` on each after waiting for a
-- concurrent prune, so locking every matching row first (FOR UPDATE: one more
-- heap write and WAL record per row) bought nothing. The UPDATE finds its rows
-- through the indexes on id and subject_id itself rather than joining a
-- materialised list of them. The outcome rows are read from the statement's
-- snapshot: a matching event this call did not prune is 'already_pruned' when
-- it was pruned or is under a signed checkpoint (then only a concurrent prune
-- can have taken it), else 'not_yet_in_log'. Same result rows as before; its
-- owner and grants stay (CREATE OR REPLACE).
CREATE OR REPLACE FUNCTION accord_prune_consent_evidence(p_event_ids uuid[], p_subject_ids uuid[], p_at timestamptz)
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
  WITH pruned AS (
    UPDATE consent_events e
       SET ip_truncated = NULL, user_agent = NULL, locale = NULL,
           idempotency_key = 'pruned:' || encode(sha256(convert_to(e.idempotency_key, 'UTF8')), 'hex'),
           pruned_at = p_at
     WHERE (e.id = ANY (COALESCE(p_event_ids, '{}')) OR e.subject_id = ANY (COALESCE(p_subject_ids, '{}')))
       AND e.pruned_at IS NULL
       AND EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.event_id = e.id AND l.leaf_index < v_signed)
    RETURNING e.id
  )
  SELECT e.id,
         CASE WHEN p.id IS NOT NULL THEN 'pruned'
              WHEN e.pruned_at IS NOT NULL OR l.leaf_index < v_signed THEN 'already_pruned'
              ELSE 'not_yet_in_log' END
    FROM consent_events e
    LEFT JOIN ledger_leaves l ON l.event_id = e.id
    LEFT JOIN pruned p ON p.id = e.id
   WHERE e.id = ANY (COALESCE(p_event_ids, '{}')) OR e.subject_id = ANY (COALESCE(p_subject_ids, '{}'));
  PERFORM set_config('accord.pruning', 'off', true);
END;
$$;
