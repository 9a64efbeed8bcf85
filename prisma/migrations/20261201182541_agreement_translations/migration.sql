-- AlterTable
ALTER TABLE "agreement_versions" ADD COLUMN     "locale" TEXT NOT NULL DEFAULT 'en';

-- CreateTable
CREATE TABLE "agreement_translations" (
    "id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "locale" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body_markdown" TEXT NOT NULL,
    "body_sha256" CHAR(64) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agreement_translations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purpose_translations" (
    "id" UUID NOT NULL,
    "purpose_id" UUID NOT NULL,
    "locale" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "notice_sha256" CHAR(64) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "purpose_translations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "agreement_translations_version_id_locale_key" ON "agreement_translations"("version_id", "locale");

-- CreateIndex
CREATE UNIQUE INDEX "purpose_translations_purpose_id_locale_key" ON "purpose_translations"("purpose_id", "locale");

-- AddForeignKey
ALTER TABLE "agreement_translations" ADD CONSTRAINT "agreement_translations_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "agreement_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "purpose_translations" ADD CONSTRAINT "purpose_translations_purpose_id_fkey" FOREIGN KEY ("purpose_id") REFERENCES "purposes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Translations freeze with their version (docs/versions.md, "Translations").
-- A translation row with published_at set is immutable (ZA002, like the
-- version itself); a published version may gain a translation only as a row
-- that is published from the start; publishing a version publishes its draft
-- translations in the same statement (the AFTER trigger below), so the
-- application cannot forget to.

CREATE FUNCTION accord_guard_translation() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  parent_published timestamptz;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.published_at IS NOT NULL THEN
    -- A cascade from deleting the version is impossible: published versions cannot be deleted.
    RAISE EXCEPTION 'translation % of a published agreement version is immutable', OLD.id
      USING ERRCODE = 'ZA002', HINT = 'Add a new version, or a translation for a locale that has none.';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  IF TG_TABLE_NAME = 'agreement_translations' THEN
    SELECT v.published_at INTO parent_published FROM agreement_versions v WHERE v.id = NEW.version_id FOR SHARE;
  ELSE
    SELECT v.published_at INTO parent_published
      FROM purposes p JOIN agreement_versions v ON v.id = p.version_id
     WHERE p.id = NEW.purpose_id FOR SHARE OF v;
  END IF;
  IF parent_published IS NOT NULL AND NEW.published_at IS NULL THEN
    RAISE EXCEPTION 'a translation of a published agreement version must be published when it is added'
      USING ERRCODE = 'ZA002';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER agreement_translations_guard
  BEFORE INSERT OR UPDATE OR DELETE ON agreement_translations
  FOR EACH ROW EXECUTE FUNCTION accord_guard_translation();
CREATE TRIGGER purpose_translations_guard
  BEFORE INSERT OR UPDATE OR DELETE ON purpose_translations
  FOR EACH ROW EXECUTE FUNCTION accord_guard_translation();

CREATE FUNCTION accord_publish_translations() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE agreement_translations SET published_at = NEW.published_at
   WHERE version_id = NEW.id AND published_at IS NULL;
  UPDATE purpose_translations pt SET published_at = NEW.published_at
    FROM purposes p WHERE p.id = pt.purpose_id AND p.version_id = NEW.id AND pt.published_at IS NULL;
  RETURN NULL;
END;
$$;

CREATE TRIGGER agreement_versions_publish_translations
  AFTER UPDATE OF published_at ON agreement_versions
  FOR EACH ROW WHEN (OLD.published_at IS NULL AND NEW.published_at IS NOT NULL)
  EXECUTE FUNCTION accord_publish_translations();
