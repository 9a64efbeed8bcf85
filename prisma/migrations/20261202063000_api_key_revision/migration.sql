-- API keys move the revision that keyed reads compare (issue 12,
-- docs/integration.md "Reading status in one query").
--
-- catalog_revision counted the changes a keyed status read keeps per process
-- (the published catalog). Each process now also keeps the API keys it has
-- seen, by the SHA-256 of their secret, so a status read no longer looks its
-- key up: it reads this one row, as it already did, and uses the kept key
-- while the revision is the one the key was read under.
--
-- So every change a kept key could miss moves the revision, in the same
-- transaction: a revocation, new scopes, a new limit, a new name, a deletion,
-- emptying the table. A read that can see the change sees the new revision,
-- drops the keys it kept and reads its key again: a revoked key is refused
-- by the first read that could see the revocation, in every process, as when
-- each read looked its key up. Creating a key moves nothing (a key a process
-- never saw is looked up in the read), nor does recording a key's last use
-- (api_keys.last_used_at, written once a minute).

CREATE TRIGGER api_keys_revision_changed
  AFTER UPDATE ON api_keys FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at
     OR OLD.scopes IS DISTINCT FROM NEW.scopes
     OR OLD.rate_limit_per_minute IS DISTINCT FROM NEW.rate_limit_per_minute
     OR OLD.name IS DISTINCT FROM NEW.name
     OR OLD.secret_sha256 IS DISTINCT FROM NEW.secret_sha256
     OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION accord_bump_catalog_revision();
CREATE TRIGGER api_keys_revision_deleted
  AFTER DELETE ON api_keys FOR EACH ROW EXECUTE FUNCTION accord_bump_catalog_revision();
CREATE TRIGGER api_keys_revision_truncated
  AFTER TRUNCATE ON api_keys FOR EACH STATEMENT EXECUTE FUNCTION accord_bump_catalog_revision();
