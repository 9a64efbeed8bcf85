-- AlterTable
ALTER TABLE "consent_events" ADD COLUMN     "key_id" TEXT,
ADD COLUMN     "signature" TEXT;

-- CreateTable
CREATE TABLE "ledger_leaves" (
    "leaf_index" BIGINT NOT NULL,
    "event_id" UUID NOT NULL,
    "event_hash" CHAR(64) NOT NULL,
    "sequenced_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ledger_leaves_pkey" PRIMARY KEY ("leaf_index")
);

-- CreateTable
CREATE TABLE "ledger_tree_nodes" (
    "level" SMALLINT NOT NULL,
    "idx" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "ledger_tree_nodes_pkey" PRIMARY KEY ("level","idx")
);

-- CreateTable
CREATE TABLE "ledger_tree_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "tree_size" BIGINT NOT NULL,
    "horizon_txid" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ledger_tree_state_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_tree_checkpoints" (
    "tree_size" BIGINT NOT NULL,
    "root_hash" CHAR(64) NOT NULL,
    "signed_at" TIMESTAMPTZ(3) NOT NULL,
    "key_id" TEXT NOT NULL,
    "note" TEXT NOT NULL,

    CONSTRAINT "ledger_tree_checkpoints_pkey" PRIMARY KEY ("tree_size")
);

-- CreateTable
CREATE TABLE "ledger_witnesses" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "vkey" TEXT NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL,
    "added_by_id" UUID,

    CONSTRAINT "ledger_witnesses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_cosignatures" (
    "witness_id" INTEGER NOT NULL,
    "tree_size" BIGINT NOT NULL,
    "cosigned_at" TIMESTAMPTZ(3) NOT NULL,
    "line" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ledger_cosignatures_pkey" PRIMARY KEY ("witness_id","tree_size")
);

-- CreateIndex
CREATE UNIQUE INDEX "ledger_leaves_event_id_key" ON "ledger_leaves"("event_id");

-- CreateIndex
CREATE INDEX "ledger_tree_checkpoints_signed_at_idx" ON "ledger_tree_checkpoints"("signed_at");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_witnesses_vkey_key" ON "ledger_witnesses"("vkey");

-- CreateIndex
CREATE INDEX "ledger_cosignatures_tree_size_idx" ON "ledger_cosignatures"("tree_size");

-- AddForeignKey
ALTER TABLE "ledger_cosignatures" ADD CONSTRAINT "ledger_cosignatures_witness_id_fkey" FOREIGN KEY ("witness_id") REFERENCES "ledger_witnesses"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_cosignatures" ADD CONSTRAINT "ledger_cosignatures_tree_size_fkey" FOREIGN KEY ("tree_size") REFERENCES "ledger_tree_checkpoints"("tree_size") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------
-- Ledger format 2 (docs/ledger.md §11–§14), written by hand below the
-- generated part. Errors raised here use class ZA like the integrity
-- triggers: ZA003 = a write the log refuses (an inconsistent checkpoint, an
-- event without a signature, ...).

-- 1. The log tables are evidence: append-only like consent_events.
CREATE TRIGGER ledger_leaves_append_only
  BEFORE UPDATE OR DELETE ON ledger_leaves
  FOR EACH ROW EXECUTE FUNCTION accord_forbid_append_only_change();
CREATE TRIGGER ledger_leaves_no_truncate
  BEFORE TRUNCATE ON ledger_leaves
  FOR EACH STATEMENT EXECUTE FUNCTION accord_forbid_append_only_change();
CREATE TRIGGER ledger_tree_nodes_append_only
  BEFORE UPDATE OR DELETE ON ledger_tree_nodes
  FOR EACH ROW EXECUTE FUNCTION accord_forbid_append_only_change();
CREATE TRIGGER ledger_tree_nodes_no_truncate
  BEFORE TRUNCATE ON ledger_tree_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION accord_forbid_append_only_change();
CREATE TRIGGER ledger_tree_checkpoints_append_only
  BEFORE UPDATE OR DELETE ON ledger_tree_checkpoints
  FOR EACH ROW EXECUTE FUNCTION accord_forbid_append_only_change();
CREATE TRIGGER ledger_tree_checkpoints_no_truncate
  BEFORE TRUNCATE ON ledger_tree_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION accord_forbid_append_only_change();
CREATE TRIGGER ledger_cosignatures_append_only
  BEFORE UPDATE OR DELETE ON ledger_cosignatures
  FOR EACH ROW EXECUTE FUNCTION accord_forbid_append_only_change();
CREATE TRIGGER ledger_cosignatures_no_truncate
  BEFORE TRUNCATE ON ledger_cosignatures
  FOR EACH STATEMENT EXECUTE FUNCTION accord_forbid_append_only_change();

INSERT INTO ledger_tree_state (id, tree_size, horizon_txid, updated_at) VALUES (1, 0, 0, now());

-- 2. The append path: the only way the runtime role writes the ledger
--    (prisma/grants.ts). It builds the event's canonical JSON and hash itself
--    (docs/ledger.md §3: to_json escapes strings exactly as RFC 8785 does for
--    these fields), so a caller can neither choose a hash nor write a row that
--    does not match it. One call: lock the chain head (creating it for a
--    subject's first event), insert the event, move the head, update the
--    projection. An idempotency key already used returns the stored event.
CREATE FUNCTION accord_append_consent_event(
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
        gpc_applied_at = CASE p_gpc WHEN 'set' THEN v_at WHEN 'clear' THEN NULL ELSE s.gpc_applied_at END
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

-- 3. The tree. accord_ledger_root(n) is MTH(D[0:n]) of RFC 9162 from the
--    stored complete subtrees: one per set bit of n, folded from the right.
CREATE FUNCTION accord_ledger_root(p_size bigint) RETURNS bytea
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
  v_hashes bytea[] := '{}';
  v_start bigint := 0;
  v_level integer;
  v_hash bytea;
  v_acc bytea;
BEGIN
  IF p_size = 0 THEN
    RETURN sha256(''::bytea);
  END IF;
  FOR v_level IN REVERSE 62..0 LOOP
    IF (p_size >> v_level) & 1 = 1 THEN
      SELECT n.hash INTO v_hash FROM ledger_tree_nodes n WHERE n.level = v_level AND n.idx = v_start >> v_level;
      IF v_hash IS NULL THEN
        RAISE EXCEPTION 'the tree has no node (%, %)', v_level, v_start >> v_level USING ERRCODE = 'ZA003';
      END IF;
      v_hashes := v_hashes || v_hash;
      v_start := v_start + (1::bigint << v_level);
    END IF;
  END LOOP;
  v_acc := v_hashes[array_length(v_hashes, 1)];
  FOR i IN REVERSE array_length(v_hashes, 1) - 1..1 LOOP
    v_acc := sha256('\x01'::bytea || v_hashes[i] || v_acc);
  END LOOP;
  RETURN v_acc;
END;
$$;

-- Gives the next leaves to the given events, in the given order, and adds the
-- new complete subtrees' hashes level by level. Events that already have a
-- leaf are skipped. p_horizon (when not null) records that every committed
-- event of a transaction below it has been considered. The caller (the
-- sequencer, lib/ledger/log/sequencer.ts) has checked each event's hash and
-- signature; this function cannot check Ed25519 signatures.
CREATE FUNCTION accord_ledger_sequence(p_event_ids uuid[], p_horizon bigint, p_at timestamptz)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_size bigint;
  v_added bigint;
  v_level integer := 1;
  v_lo bigint;
  v_hi bigint;
BEGIN
  SELECT tree_size INTO v_size FROM ledger_tree_state WHERE id = 1 FOR UPDATE;
  INSERT INTO ledger_leaves (leaf_index, event_id, event_hash, sequenced_at)
  SELECT v_size + row_number() OVER (ORDER BY t.ord) - 1, e.id, e.hash, p_at
    FROM (SELECT DISTINCT ON (u.id) u.id, u.ord FROM unnest(p_event_ids) WITH ORDINALITY AS u(id, ord)
           ORDER BY u.id, u.ord) t
    JOIN consent_events e ON e.id = t.id
   WHERE NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.event_id = e.id);
  GET DIAGNOSTICS v_added = ROW_COUNT;
  IF v_added > 0 THEN
    INSERT INTO ledger_tree_nodes (level, idx, hash)
    SELECT 0, l.leaf_index, sha256('\x00'::bytea || decode(l.event_hash, 'hex'))
      FROM ledger_leaves l WHERE l.leaf_index >= v_size AND l.leaf_index < v_size + v_added;
    LOOP
      -- Node (level, j) is new when it ends inside the new leaves: j from v_size >> level.
      v_lo := v_size >> v_level;
      v_hi := ((v_size + v_added) >> v_level) - 1;
      EXIT WHEN v_hi < v_lo;
      INSERT INTO ledger_tree_nodes (level, idx, hash)
      SELECT v_level, r.idx >> 1, sha256('\x01'::bytea || l.hash || r.hash)
        FROM ledger_tree_nodes l
        JOIN ledger_tree_nodes r ON r.level = v_level - 1 AND r.idx = l.idx + 1
       WHERE l.level = v_level - 1 AND l.idx % 2 = 0 AND l.idx BETWEEN v_lo * 2 AND v_hi * 2;
      v_level := v_level + 1;
    END LOOP;
  END IF;
  UPDATE ledger_tree_state
     SET tree_size = v_size + v_added,
         horizon_txid = GREATEST(horizon_txid, COALESCE(p_horizon, horizon_txid)),
         updated_at = p_at
   WHERE id = 1;
  RETURN v_size + v_added;
END;
$$;

-- Stores a signed checkpoint after checking what the database can: the size
-- is within the tree, the root is the tree's root at that size, the note's
-- text names them, and it does not go back behind the latest checkpoint.
-- Returns false when that exact checkpoint is already stored.
CREATE FUNCTION accord_ledger_record_checkpoint(
  p_size bigint, p_root text, p_signed_at timestamptz, p_key_id text, p_note text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_tree bigint;
  v_last record;
BEGIN
  SELECT tree_size INTO v_tree FROM ledger_tree_state WHERE id = 1;
  IF p_size > v_tree THEN
    RAISE EXCEPTION 'checkpoint size % is beyond the tree (%)', p_size, v_tree USING ERRCODE = 'ZA003';
  END IF;
  IF encode(accord_ledger_root(p_size), 'hex') <> p_root THEN
    RAISE EXCEPTION 'checkpoint root % is not the tree''s root at size %', p_root, p_size USING ERRCODE = 'ZA003';
  END IF;
  IF split_part(p_note, E'\n', 2) <> p_size::text
     OR split_part(p_note, E'\n', 3) <> encode(decode(p_root, 'hex'), 'base64') THEN
    RAISE EXCEPTION 'the signed note does not state size % and root %', p_size, p_root USING ERRCODE = 'ZA003';
  END IF;
  SELECT c.tree_size, c.root_hash INTO v_last FROM ledger_tree_checkpoints c ORDER BY c.tree_size DESC LIMIT 1;
  IF FOUND AND v_last.tree_size > p_size THEN
    RAISE EXCEPTION 'checkpoint size % is behind the latest checkpoint (%)', p_size, v_last.tree_size
      USING ERRCODE = 'ZA003';
  END IF;
  IF FOUND AND v_last.tree_size = p_size THEN
    RETURN false;
  END IF;
  INSERT INTO ledger_tree_checkpoints (tree_size, root_hash, signed_at, key_id, note)
    VALUES (p_size, p_root, p_signed_at, p_key_id, p_note);
  RETURN true;
END;
$$;

-- 4. Migration of the existing ledger: its events become the first leaves, in
--    position order. They were recorded before format 2 and carry no
--    signature; the first signed checkpoint (made when the app next starts)
--    covers exactly them (docs/ledger.md §14).
SELECT accord_ledger_sequence(
  COALESCE((SELECT array_agg(e.id ORDER BY e.position) FROM consent_events e), '{}'),
  (SELECT COALESCE(max(e.txid) + 1, 0) FROM consent_events e),
  now());

-- Who may run what is granted in one place after every migration (prisma/grants.ts).
REVOKE ALL ON FUNCTION accord_append_consent_event(uuid, uuid, "ConsentAction", uuid, integer, text, text,
  "ConsentMethod", timestamptz, text, text, text, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION accord_ledger_sequence(uuid[], bigint, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION accord_ledger_record_checkpoint(bigint, text, timestamptz, text, text) FROM PUBLIC;
