-- The catalog's revision (issue 12, docs/integration.md "Reading status in
-- one query"). A keyed status read needs to know whether the catalog it keeps
-- per process (published versions with their purposes, published purpose
-- translations) is still current. It used to aggregate a stamp from
-- agreement_versions and purpose_translations (count and latest publication)
-- in every read; it now reads this one row.
--
-- The counter moves in the transaction that publishes a version or a purpose
-- translation (the only changes the catalog can see: published rows and the
-- purposes of published versions are immutable, triggers of
-- 20261129000100_integrity_triggers), so a read sees the new revision exactly
-- when it can see the publication (MVCC), never before: a sequence would move
-- before the publication commits, and a read in between would keep the old
-- catalog under the new number. Drafts do not move it, so editing a draft
-- never waits on this row. Emptying a table (tests) moves it too.

-- CreateTable
CREATE TABLE "catalog_revision" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "revision" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "catalog_revision_pkey" PRIMARY KEY ("id")
);

INSERT INTO catalog_revision (id, revision) VALUES (true, 1);

-- An upsert, so that the counter is back after anyone emptied the table.
CREATE FUNCTION accord_bump_catalog_revision() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO catalog_revision (id, revision) VALUES (true, 1)
    ON CONFLICT (id) DO UPDATE SET revision = catalog_revision.revision + 1;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION accord_bump_catalog_revision() FROM PUBLIC;

CREATE TRIGGER agreement_versions_catalog_revision_published
  AFTER UPDATE OF published_at ON agreement_versions FOR EACH ROW
  WHEN (OLD.published_at IS NULL AND NEW.published_at IS NOT NULL)
  EXECUTE FUNCTION accord_bump_catalog_revision();
CREATE TRIGGER agreement_versions_catalog_revision_inserted
  AFTER INSERT ON agreement_versions FOR EACH ROW WHEN (NEW.published_at IS NOT NULL)
  EXECUTE FUNCTION accord_bump_catalog_revision();
CREATE TRIGGER purpose_translations_catalog_revision_published
  AFTER UPDATE OF published_at ON purpose_translations FOR EACH ROW
  WHEN (OLD.published_at IS NULL AND NEW.published_at IS NOT NULL)
  EXECUTE FUNCTION accord_bump_catalog_revision();
CREATE TRIGGER purpose_translations_catalog_revision_inserted
  AFTER INSERT ON purpose_translations FOR EACH ROW WHEN (NEW.published_at IS NOT NULL)
  EXECUTE FUNCTION accord_bump_catalog_revision();
CREATE TRIGGER agreement_versions_catalog_revision_truncated
  AFTER TRUNCATE ON agreement_versions FOR EACH STATEMENT EXECUTE FUNCTION accord_bump_catalog_revision();
CREATE TRIGGER purposes_catalog_revision_truncated
  AFTER TRUNCATE ON purposes FOR EACH STATEMENT EXECUTE FUNCTION accord_bump_catalog_revision();
CREATE TRIGGER purpose_translations_catalog_revision_truncated
  AFTER TRUNCATE ON purpose_translations FOR EACH STATEMENT EXECUTE FUNCTION accord_bump_catalog_revision();
