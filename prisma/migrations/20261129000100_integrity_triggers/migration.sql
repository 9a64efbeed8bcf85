-- Integrity rules that schema.prisma cannot express, enforced by the database
-- so that they hold for every writer (the app, a worker, psql), not only for
-- the code paths that remember them.
--
-- Errors use custom SQLSTATEs so callers can match the code instead of parsing
-- messages. Class "ZA" is in the range the SQL standard leaves to
-- implementations (first character I-Z) and PostgreSQL itself does not use,
-- so it cannot be confused with a real permission problem (42501):
--   ZA001  a row of an append-only table was updated, deleted or truncated
--   ZA002  a published agreement version, or one of its purposes, was changed
--
-- Note: this file is sent to PostgreSQL whole (prisma/migrate.ts); it runs in
-- one implicit transaction, so it applies completely or not at all.

-- 1. Append-only tables: the consent ledger, its checkpoints and the admin
--    audit log are evidence. A correction is a new row, never an edit.

CREATE FUNCTION accord_forbid_append_only_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'ZA001',
          HINT = 'Record a new row instead of changing or removing an existing one.';
END;
$$;

-- Row triggers catch UPDATE and DELETE; TRUNCATE bypasses row triggers, so it
-- needs its own statement trigger.
CREATE TRIGGER consent_events_append_only
  BEFORE UPDATE OR DELETE ON consent_events
  FOR EACH ROW EXECUTE FUNCTION accord_forbid_append_only_change();
CREATE TRIGGER consent_events_no_truncate
  BEFORE TRUNCATE ON consent_events
  FOR EACH STATEMENT EXECUTE FUNCTION accord_forbid_append_only_change();

CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION accord_forbid_append_only_change();
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION accord_forbid_append_only_change();

CREATE TRIGGER ledger_checkpoints_append_only
  BEFORE UPDATE OR DELETE ON ledger_checkpoints
  FOR EACH ROW EXECUTE FUNCTION accord_forbid_append_only_change();
CREATE TRIGGER ledger_checkpoints_no_truncate
  BEFORE TRUNCATE ON ledger_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION accord_forbid_append_only_change();

-- 2. Published agreement versions are immutable: consent events point at the
--    exact text and purposes a user saw. Drafts (published_at IS NULL) may be
--    edited and deleted, and the UPDATE that publishes a draft passes because
--    only OLD is checked. Inserting a row that is already published is allowed
--    (imports, seeds): it cannot alter anything anyone has seen.

CREATE FUNCTION accord_forbid_published_version_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.published_at IS NOT NULL THEN
    RAISE EXCEPTION 'agreement version % is published and immutable', coalesce(OLD.number::text, OLD.id::text)
      USING ERRCODE = 'ZA002',
            DETAIL = format('%s on agreement_versions row %s', TG_OP, OLD.id),
            HINT = 'Create a new draft version instead.';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER agreement_versions_published_immutable
  BEFORE UPDATE OR DELETE ON agreement_versions
  FOR EACH ROW EXECUTE FUNCTION accord_forbid_published_version_change();

-- 3. A published version's purposes are part of it. The parent row is read
--    FOR SHARE: it conflicts with the UPDATE that publishes, so a purpose
--    written concurrently with publishing either commits first (and is
--    published with the version) or waits and then sees the version published.
--    When a draft version is deleted, its purposes are deleted by the foreign
--    key's cascade after the parent row is gone; the lookup then finds no
--    row, which correctly means "not published".

-- SET search_path FROM CURRENT: the function reads agreement_versions from
-- the schema this migration ran in, whatever search_path the writer has.
CREATE FUNCTION accord_forbid_published_purpose_change() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  checked_version_id uuid;
  parent record;
BEGIN
  FOREACH checked_version_id IN ARRAY CASE TG_OP
    WHEN 'INSERT' THEN ARRAY[NEW.version_id]
    WHEN 'DELETE' THEN ARRAY[OLD.version_id]
    ELSE ARRAY[OLD.version_id, NEW.version_id] -- moving a purpose touches both versions
  END
  LOOP
    SELECT v.id, v.number, v.published_at INTO parent
      FROM agreement_versions v WHERE v.id = checked_version_id FOR SHARE;
    IF FOUND AND parent.published_at IS NOT NULL THEN
      RAISE EXCEPTION 'agreement version % is published and immutable: its purposes cannot change',
          coalesce(parent.number::text, parent.id::text)
        USING ERRCODE = 'ZA002',
              DETAIL = format('%s on purposes of agreement_versions row %s', TG_OP, parent.id),
              HINT = 'Create a new draft version instead.';
    END IF;
  END LOOP;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER purposes_of_published_version_immutable
  BEFORE INSERT OR UPDATE OR DELETE ON purposes
  FOR EACH ROW EXECUTE FUNCTION accord_forbid_published_purpose_change();

-- TRUNCATE skips the row triggers above. Emptying tables that hold only
-- drafts stays possible; once anything is published it is refused.
CREATE FUNCTION accord_forbid_truncating_published() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  holds_published boolean;
BEGIN
  IF TG_TABLE_NAME = 'purposes' THEN
    holds_published := EXISTS (
      SELECT 1 FROM purposes p JOIN agreement_versions v ON v.id = p.version_id
       WHERE v.published_at IS NOT NULL);
  ELSE
    holds_published := EXISTS (SELECT 1 FROM agreement_versions WHERE published_at IS NOT NULL);
  END IF;
  IF holds_published THEN
    RAISE EXCEPTION 'cannot truncate %: it holds published agreement data, which is immutable', TG_TABLE_NAME
      USING ERRCODE = 'ZA002';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER agreement_versions_no_truncate_published
  BEFORE TRUNCATE ON agreement_versions
  FOR EACH STATEMENT EXECUTE FUNCTION accord_forbid_truncating_published();
CREATE TRIGGER purposes_no_truncate_published
  BEFORE TRUNCATE ON purposes
  FOR EACH STATEMENT EXECUTE FUNCTION accord_forbid_truncating_published();
