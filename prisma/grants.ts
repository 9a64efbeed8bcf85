/**
 * The one place that says what the app's runtime database role may do
 * (docs/deployment.md, "Database roles"). Migrations run as the owner of the
 * tables; the app runs as a role that owns nothing and gets exactly these
 * privileges, applied by applyMigrations after every migration run.
 *
 * Adding a table? Add a line to TABLE_GRANTS (prisma/migrations.int.test.ts
 * fails while a table has none). The ledger's tables get SELECT only: the app
 * writes them through the SECURITY DEFINER functions in FUNCTION_GRANTS,
 * which compute hashes and tree nodes themselves.
 */

type Privilege = "SELECT" | "INSERT" | "UPDATE" | "DELETE";

interface TableGrant {
  privileges: readonly Privilege[];
  /** UPDATE limited to these columns. */
  updateColumns?: readonly string[];
  /** The sequences an INSERT draws from. */
  sequences?: readonly string[];
  /** Why, in a few words (printed into the SQL). */
  why: string;
}

export const TABLE_GRANTS: Record<string, TableGrant> = {
  users: { privileges: ["SELECT", "INSERT", "UPDATE"], why: "sign-up, sign-in, locale, deregistration" },
  account_tokens: {
    privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"],
    why: "single-use links: email verification, password reset, email change",
  },
  agreement_versions: {
    privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"],
    why: "admins edit drafts; published rows are immutable (trigger)",
  },
  purposes: { privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"], why: "purposes of drafts" },
  agreement_renderings: {
    privileges: ["SELECT", "INSERT", "UPDATE"],
    why: "HTML of published versions, rendered once; a newer renderer replaces it",
  },
  agreement_diffs: {
    privileges: ["SELECT", "INSERT", "UPDATE"],
    why: "stored and cached diffs between published versions",
  },
  agreement_translations: {
    privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"],
    why: "translations of drafts; published ones are immutable (trigger)",
  },
  translation_renderings: {
    privileges: ["SELECT", "INSERT", "UPDATE"],
    why: "HTML of published translations, rendered once; a newer renderer replaces it",
  },
  translation_diffs: {
    privileges: ["SELECT", "INSERT", "UPDATE"],
    why: "stored and cached diffs between published translations",
  },
  purpose_translations: {
    privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"],
    why: "purpose translations of drafts; published ones are immutable (trigger)",
  },
  consent_events: { privileges: ["SELECT"], why: "written only by accord_append_consent_event" },
  consent_subjects: {
    privileges: ["SELECT", "UPDATE"],
    updateColumns: ["gpc_applied_at"],
    why: "chain heads move only in the append; the GPC mark is not ledger data",
  },
  catalog_revision: {
    privileges: ["SELECT"],
    why: "keyed status reads compare it (catalog and kept API keys); moved only by triggers (accord_bump_catalog_revision)",
  },
  external_subjects: {
    privileges: ["SELECT", "INSERT", "UPDATE"],
    updateColumns: ["user_id"],
    why: "service API subjects, created on first use; the account link",
  },
  consent_states: { privileges: ["SELECT"], why: "projection, written only by the append" },
  ledger_checkpoints: { privileges: ["SELECT"], why: "format 1 range checkpoints, no longer written" },
  ledger_leaves: { privileges: ["SELECT"], why: "written only by accord_ledger_sequence" },
  ledger_tree_nodes: { privileges: ["SELECT"], why: "written only by accord_ledger_sequence" },
  ledger_tree_state: { privileges: ["SELECT"], why: "written only by accord_ledger_sequence" },
  ledger_tree_checkpoints: { privileges: ["SELECT"], why: "written only by accord_ledger_record_checkpoint" },
  ledger_witnesses: {
    privileges: ["SELECT", "INSERT"],
    sequences: ["ledger_witnesses_id_seq"],
    why: "admins register witnesses",
  },
  ledger_cosignatures: {
    privileges: ["SELECT", "INSERT"],
    why: "verified cosignatures; append-only (trigger)",
  },
  audit_log: {
    privileges: ["SELECT", "INSERT"],
    sequences: ["audit_log_id_seq"],
    why: "append-only (trigger)",
  },
  notification_runs: { privileges: ["SELECT", "INSERT", "UPDATE"], why: "mail runs" },
  notifications: {
    privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"],
    sequences: ["notifications_id_seq"],
    why: "the outbox; retention deletes old sent mail",
  },
  rate_limits: { privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"], why: "rate-limiter-flexible's store" },
  rights_requests: { privileges: ["SELECT", "INSERT", "UPDATE"], why: "users' rights requests and the desk" },
  rights_request_notes: {
    privileges: ["SELECT", "INSERT", "UPDATE"],
    updateColumns: ["body"],
    why: "internal notes on requests; erasure blanks them",
  },
  legal_holds: { privileges: ["SELECT", "INSERT", "UPDATE"], why: "admins place and release legal holds" },
  rights_policy: { privileges: ["SELECT", "INSERT", "UPDATE"], why: "the deadline policy admins edit" },
  api_keys: {
    privileges: ["SELECT", "INSERT", "UPDATE"],
    why: "admins make and revoke keys; last use is recorded",
  },
  token_signing_keys: {
    privileges: ["SELECT", "INSERT", "UPDATE"],
    why: "consent-token keys: made when due, retired by admins",
  },
  webhook_endpoints: {
    privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"],
    why: "admins and webhooks:manage keys register endpoints",
  },
  webhook_deliveries: {
    privileges: ["SELECT", "INSERT", "UPDATE"],
    sequences: ["webhook_deliveries_id_seq"],
    why: "the webhook outbox: test events, replays, the dispatcher's claims",
  },
  hosted_return_urls: {
    privileges: ["SELECT", "INSERT", "DELETE"],
    why: "admins allow return URLs for hosted flows",
  },
  hosted_link_uses: { privileges: ["SELECT", "INSERT"], why: "a hosted link completes once" },
  webhook_attempts: {
    privileges: ["SELECT", "INSERT"],
    sequences: ["webhook_attempts_id_seq"],
    why: "the delivery log",
  },
};

/** Tables the runtime role must not see at all. */
export const NO_GRANTS = ["_prisma_migrations"] as const;

/** SECURITY DEFINER functions the runtime role may call: the only ways it writes the ledger. */
export const FUNCTION_GRANTS = [
  `accord_append_consent_event(uuid, uuid, "ConsentAction", uuid, integer, text, text, "ConsentMethod", timestamptz, text, text, text, text, text, text, text)`,
  "accord_ledger_sequence(uuid[], bigint, timestamptz)",
  "accord_ledger_record_checkpoint(bigint, text, timestamptz, text, text)",
  "accord_purge_audit_log(timestamptz, boolean, text[])",
  "accord_prune_consent_evidence(uuid[], uuid[], timestamptz)",
  "accord_prune_subjects_evidence(uuid[], timestamptz)",
  "accord_enqueue_webhook(text, text, jsonb, timestamptz)",
] as const;

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The SQL that gives `role` exactly the privileges above: everything is
 * revoked first, so a privilege removed here is removed from the database.
 * Idempotent; run as the owner of the tables.
 */
export function grantsSql(role: string): string {
  const r = quoteIdent(role);
  const lines = [
    `-- Accord: privileges of the runtime role ${role} (prisma/grants.ts)`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${r};`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${r};`,
    `REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM ${r};`,
    `GRANT USAGE ON SCHEMA public TO ${r};`,
  ];
  for (const [table, grant] of Object.entries(TABLE_GRANTS)) {
    const plain = grant.privileges.filter((p) => !(p === "UPDATE" && grant.updateColumns));
    lines.push(`-- ${table}: ${grant.why}`);
    if (plain.length) lines.push(`GRANT ${plain.join(", ")} ON ${quoteIdent(table)} TO ${r};`);
    if (grant.updateColumns)
      lines.push(
        `GRANT UPDATE (${grant.updateColumns.map(quoteIdent).join(", ")}) ON ${quoteIdent(table)} TO ${r};`,
      );
    for (const sequence of grant.sequences ?? [])
      lines.push(`GRANT USAGE, SELECT ON SEQUENCE ${quoteIdent(sequence)} TO ${r};`);
  }
  for (const fn of FUNCTION_GRANTS) lines.push(`GRANT EXECUTE ON FUNCTION ${fn} TO ${r};`);
  return `${lines.join("\n")}\n`;
}

// `npx tsx prisma/grants.ts [role]` prints the SQL (docs/deployment.md).
if (process.argv[1]?.endsWith("grants.ts")) process.stdout.write(grantsSql(process.argv[2] ?? "accord_app"));
