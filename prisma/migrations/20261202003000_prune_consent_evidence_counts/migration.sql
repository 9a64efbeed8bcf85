-- Bulk pruning that answers counts (issue 11, bench/rights-retention.ts;
-- docs/ledger.md §12). The retention run prunes every event of up to 20,000
-- closed accounts per call and needs only how many were pruned and whether
-- any must wait for the sequencer; accord_prune_consent_evidence answers one
-- row per event, which took a second pass over the events joined with
-- ledger_leaves and with the UPDATE's own result, a tuplestore of one row per
-- event and as many rows sent to the client.
--
-- accord_prune_subjects_evidence makes exactly the same change to the same
-- rows, those of subjects on hold left out (the append-only trigger's WHEN
-- condition still checks every row it changes, unchanged), through the same
-- UPDATE, and then counts:
--   pruned          rows the UPDATE changed (its row count, no RETURNING);
--   not_yet_in_log  matching events still not pruned after it: not under a
--                   signed checkpoint (run the sequencer and call again);
--   already_pruned  the rest of the matching events (pruned before, or by a
--                   concurrent call);
--   on_hold         events of subjects under an open legal hold, never
--                   touched. The caller selects subjects not on hold; this
--                   closes the window between its selection and the UPDATE.
-- The counts read the rows after the UPDATE (a later statement of the same
-- function sees its changes), through the subject_id index: no join with
-- ledger_leaves, no per-event rows.
CREATE FUNCTION accord_prune_subjects_evidence(p_subject_ids uuid[], p_at timestamptz)
RETURNS TABLE (pruned bigint, already_pruned bigint, not_yet_in_log bigint, on_hold bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
  v_signed bigint;
  v_pruned bigint;
BEGIN
  IF p_at IS NULL THEN
    RAISE EXCEPTION 'p_at is required' USING ERRCODE = 'ZA003';
  END IF;
  SELECT COALESCE(max(c.tree_size), 0) INTO v_signed FROM ledger_tree_checkpoints c;
  PERFORM set_config('accord.pruning', 'on', true);
  UPDATE consent_events e
     SET ip_truncated = NULL, user_agent = NULL, locale = NULL,
         idempotency_key = 'pruned:' || encode(sha256(convert_to(e.idempotency_key, 'UTF8')), 'hex'),
         pruned_at = p_at
   WHERE e.subject_id = ANY (COALESCE(p_subject_ids, '{}'))
     AND e.pruned_at IS NULL
     AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.subject_id = e.subject_id AND h.released_at IS NULL)
     AND EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.event_id = e.id AND l.leaf_index < v_signed);
  GET DIAGNOSTICS v_pruned = ROW_COUNT;
  PERFORM set_config('accord.pruning', 'off', true);
  RETURN QUERY
  WITH held AS (
    SELECT DISTINCT h.subject_id FROM legal_holds h
     WHERE h.released_at IS NULL AND h.subject_id = ANY (COALESCE(p_subject_ids, '{}'))
  )
  SELECT v_pruned,
         count(*) FILTER (WHERE h.subject_id IS NULL AND e.pruned_at IS NOT NULL) - v_pruned,
         count(*) FILTER (WHERE h.subject_id IS NULL AND e.pruned_at IS NULL),
         count(*) FILTER (WHERE h.subject_id IS NOT NULL)
    FROM consent_events e LEFT JOIN held h ON h.subject_id = e.subject_id
   WHERE e.subject_id = ANY (COALESCE(p_subject_ids, '{}'));
END;
$$;

REVOKE ALL ON FUNCTION accord_prune_subjects_evidence(uuid[], timestamptz) FROM PUBLIC;
