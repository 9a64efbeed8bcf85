import "server-only";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { effectiveSubjectSql } from "@/lib/service-api/subject-links";
import { API_KEY_CTES, type KeyRow } from "@/lib/api-keys/authenticate";
import { isKeptKey, keepKey, keptKey } from "@/lib/api-keys/key-cache";
import {
  buildSubjectStatus,
  isoInstantSql,
  readCatalog,
  statusBuilder,
  type Catalog,
  type CatalogVersion,
  type StoredState,
} from "@/lib/service-api/status-rules";
import type { SubjectStatusOut } from "@/lib/service-api/schemas";

// Status reads are the API's hot path (docs/integration.md, "Reading status
// in one query"): every statement below answers in one round trip, the key
// check included where a key is sent. Raw SQL because Prisma would need a
// query per table; each row type is declared beside its statement.

/**
 * The published versions with their purposes: a handful of rows, aggregated
 * into one JSON value (CatalogVersion[]). Every status needs them to decide
 * re-consent and to list the purposes of the accepted version.
 */
const CATALOG_COLUMN = `
  (SELECT json_agg(json_build_object('id', v.id, 'number', v.number, 'title', v.title,
      'material', v.material, 'effectiveAt', v.effective_at,
      'purposes', (SELECT json_agg(json_build_object('key', p.key, 'basic', p.basic,
          'noticeSha256', p.notice_sha256,
          'translationNotices', (SELECT json_agg(pt.notice_sha256) FROM purpose_translations pt
            WHERE pt.purpose_id = p.id AND pt.published_at IS NOT NULL)) ORDER BY p.position, p.key)
        FROM purposes p WHERE p.version_id = v.id)) ORDER BY v.number)
     FROM agreement_versions v
    WHERE v.published_at IS NOT NULL AND v.number IS NOT NULL AND v.effective_at IS NOT NULL) AS catalog`;

/**
 * The catalog's revision (table catalog_revision): moved by triggers in the
 * transaction that publishes a version or a purpose translation, the only
 * changes the catalog can see (published rows are immutable), and in the one
 * that changes an API key. The keyed hot paths send this instead of the
 * catalog and keep the catalog per process (catalogFor), and the keys they
 * have seen (lib/api-keys/key-cache.ts). One primary-key read, where the stamp it replaced aggregated
 * two tables (count and latest publication) in every read (docs/benchmarks.md,
 * "Service API", "After the hot path was reworked").
 */
const CATALOG_STAMP_COLUMN = `
  (SELECT revision::text FROM catalog_revision WHERE id) AS catalog_stamp`;

let cachedCatalog: { stamp: string; catalog: Catalog } | undefined;

/** The catalog for this stamp: this process's copy (no await), read again only when the stamp moved. */
function catalogFor(stamp: string): Catalog | Promise<Catalog> {
  if (cachedCatalog?.stamp === stamp) return cachedCatalog.catalog;
  return readCatalogAgain(stamp);
}

async function readCatalogAgain(stamp: string): Promise<Catalog> {
  const { rows } = await pool.query<{ catalog: CatalogVersion[] | null }>({
    name: "status-catalog-v1",
    text: `SELECT ${CATALOG_COLUMN}`,
  });
  const catalog = readCatalog(rows[0]?.catalog ?? null);
  cachedCatalog = { stamp, catalog };
  return catalog;
}

/**
 * The stored states of the subject whose head row is `s`: the copy of its
 * consent_states rows the append keeps on the head row, by purpose key
 * (StatesCopy; migration 20261202091442_consent_subject_states), so a read
 * of one subject aggregates nothing.
 */
const STATES_OF_S = "s.states";

/** consent_subjects.states: each purpose's state by its key. */
type StatesCopy = Record<string, Omit<StoredState, "key">>;

function storedStates(copy: StatesCopy | null): StoredState[] | null {
  return copy === null ? null : Object.entries(copy).map(([key, state]) => ({ key, ...state }));
}

/** When the account of the head row s was closed (an unlinked service subject has no account). */
const CLOSED_AT_OF_S = `(SELECT ${isoInstantSql("u.deregistered_at")} FROM users u WHERE u.id = s.subject_id)`;

/**
 * The same for a service's subject `e`: only a subject linked to an account
 * can be closed, so an unlinked one (most of a service's subjects) skips the
 * probe of users.
 */
const CLOSED_AT_OF_E = `CASE WHEN e.user_id IS NOT NULL THEN ${CLOSED_AT_OF_S} END`;

// Instants arrive as ISO strings, as the answer sends them: no Date to parse and format again.
const HEAD_COLUMNS = `s.seq, s.accepted_version_number, ${isoInstantSql("s.accepted_at")} AS accepted_at,
  s.acknowledged_version_number,
  ${STATES_OF_S} AS states, ${CLOSED_AT_OF_S} AS closed_at`;

interface HeadColumns {
  seq: number | null;
  accepted_version_number: number | null;
  accepted_at: Date | string | null;
  acknowledged_version_number: number | null;
  states: StatesCopy | null;
  closed_at: string | null;
}

interface StatusRow extends HeadColumns {
  catalog: CatalogVersion[] | null;
}

/** The keyed columns, null when the key is unknown. */
type KeyedRow<T> = T & { [K in keyof KeyRow]: KeyRow[K] | null };

function head(row: HeadColumns) {
  return {
    seq: row.seq,
    acceptedVersionNumber: row.accepted_version_number,
    acceptedAt: row.accepted_at,
    acknowledgedVersionNumber: row.acknowledged_version_number,
    states: storedStates(row.states),
    closedAt: row.closed_at,
  };
}

function keyOf(row: KeyedRow<object> | undefined): KeyRow | undefined {
  if (!row || row.key_id === null) return undefined;
  return row as KeyRow;
}

const BY_SUBJECT_SQL = `
SELECT ${HEAD_COLUMNS}, ${CATALOG_COLUMN}
FROM (SELECT $1::uuid AS id) q
LEFT JOIN consent_subjects s ON s.subject_id = q.id`;

/**
 * The consent status of one subject by Accord's subject id (an account's
 * user id). `label` is how the answer names the subject.
 */
export async function readSubjectStatus(
  subjectId: string,
  label: string = subjectId,
  at: Date = now(),
): Promise<SubjectStatusOut> {
  const { rows } = await pool.query<StatusRow>({
    name: "subject-status-v7",
    text: BY_SUBJECT_SQL,
    values: [subjectId],
  });
  const row = rows[0];
  if (!row) throw new Error("subject status: the query returned no row");
  return buildSubjectStatus(label, readCatalog(row.catalog), head(row), at);
}

const BY_EXTERNAL_ID_SQL = `
SELECT ${HEAD_COLUMNS}, ${CATALOG_COLUMN}
FROM (SELECT $1::text AS external_id) q
LEFT JOIN external_subjects e ON e.external_id = q.external_id
LEFT JOIN consent_subjects s ON s.subject_id = ${effectiveSubjectSql("e")}`;

/** The status of a service's user by its own id; a subject never seen reads as unknown (nothing is created). */
export async function readExternalStatus(externalId: string, at: Date = now()): Promise<SubjectStatusOut> {
  const { rows } = await pool.query<StatusRow>({
    name: "external-status-v6",
    text: BY_EXTERNAL_ID_SQL,
    values: [externalId],
  });
  const row = rows[0];
  if (!row) throw new Error("subject status: the query returned no row");
  return buildSubjectStatus(externalId, readCatalog(row.catalog), head(row), at);
}

// A service's subject: HEAD_COLUMNS with the closed-account probe only for linked subjects.
const EXTERNAL_HEAD_COLUMNS = `s.seq, s.accepted_version_number, ${isoInstantSql("s.accepted_at")} AS accepted_at,
  s.acknowledged_version_number,
  ${STATES_OF_S} AS states, ${CLOSED_AT_OF_E} AS closed_at`;

const KEYED_STATUS_SQL = `
WITH ${API_KEY_CTES}
SELECT k.*, ${EXTERNAL_HEAD_COLUMNS}, ${CATALOG_STAMP_COLUMN}
FROM (SELECT $3::text AS external_id) q
LEFT JOIN api_key k ON true
LEFT JOIN external_subjects e ON e.external_id = q.external_id
LEFT JOIN consent_subjects s ON s.subject_id = ${effectiveSubjectSql("e")}`;

/**
 * The status read of a key this process keeps (lib/api-keys/key-cache.ts):
 * no lookup, the revision tells whether the kept key is still current.
 */
const KEPT_KEY_STATUS_SQL = `
SELECT ${EXTERNAL_HEAD_COLUMNS}, ${CATALOG_STAMP_COLUMN}
FROM (SELECT $1::text AS external_id) q
LEFT JOIN external_subjects e ON e.external_id = q.external_id
LEFT JOIN consent_subjects s ON s.subject_id = ${effectiveSubjectSql("e")}`;

export interface Keyed<T> {
  /** The key's row, for decideKey; undefined when no key has this hash. */
  key: KeyRow | undefined;
  /** The answer, to be built only once the key is accepted. */
  answer(): T;
}

/** The key check and one subject's status in one statement ($1 key hash, $2 now, $3 the service's id). */
export async function keyedExternalStatus(
  keySha256: string,
  externalId: string,
  at: Date = now(),
): Promise<Keyed<SubjectStatusOut>> {
  if (isKeptKey(keySha256)) {
    const { rows } = await pool.query<HeadColumns & { catalog_stamp: string }>({
      name: "kept-key-status-v2",
      text: KEPT_KEY_STATUS_SQL,
      values: [externalId],
    });
    const row = rows[0];
    if (!row) throw new Error("subject status: the query returned no row");
    const key = keptKey(keySha256, row.catalog_stamp, at);
    if (key) {
      const catalog = await catalogFor(row.catalog_stamp);
      return { key, answer: () => buildSubjectStatus(externalId, catalog, head(row), at) };
    }
    // The revision moved: the key and the status are read again, together.
  }
  const { rows } = await pool.query<KeyedRow<HeadColumns & { catalog_stamp: string }>>({
    name: "keyed-status-v9",
    text: KEYED_STATUS_SQL,
    values: [keySha256, at.toISOString(), externalId],
  });
  const row = rows[0];
  if (!row) throw new Error("subject status: the query returned no row");
  const key = keyOf(row);
  keepKey(keySha256, key, row.catalog_stamp, at);
  const catalog = await catalogFor(row.catalog_stamp);
  return {
    key,
    answer: () => buildSubjectStatus(externalId, catalog, head(row), at),
  };
}

// Up to 1,000 subjects: their heads aggregated in request order into one
// JSON value next to the catalog stamp, each with the copy of its states the
// append keeps (STATES_OF_S; it replaced a consent_states subquery per
// subject, which took PostgreSQL 7.7 ms a batch, the copy 4.9 ms).
// Each subject is a JSON array, not an object: the same values without their
// keys repeated 1,000 times, which took the statement and its parsing from
// 13.0 to 9.8 ms (p50, docs/benchmarks.md "Service API").
const KEYED_BATCH_SQL = `
WITH ${API_KEY_CTES}
SELECT k.*, ${CATALOG_STAMP_COLUMN},
  (SELECT json_agg(json_build_array(s.seq, s.accepted_version_number, ${isoInstantSql("s.accepted_at")},
      s.acknowledged_version_number,
      ${STATES_OF_S},
      ${CLOSED_AT_OF_E}) ORDER BY q.ord)
     FROM unnest($3::text[]) WITH ORDINALITY AS q(external_id, ord)
     LEFT JOIN external_subjects e ON e.external_id = q.external_id
     LEFT JOIN consent_subjects s ON s.subject_id = ${effectiveSubjectSql("e")}) AS subjects
FROM (SELECT 1) one
LEFT JOIN api_key k ON true`;

/** A subject as the batch sends it, in HEAD_COLUMNS' order. */
type HeadTuple = [
  seq: number | null,
  acceptedVersionNumber: number | null,
  acceptedAt: string | null,
  acknowledgedVersionNumber: number | null,
  states: StatesCopy | null,
  closedAt: string | null,
];

interface BatchRow {
  catalog_stamp: string;
  subjects: HeadTuple[] | null;
}

function headOfTuple([seq, accepted, acceptedAt, acknowledged, states, closedAt]: HeadTuple) {
  return {
    seq,
    acceptedVersionNumber: accepted,
    acceptedAt,
    acknowledgedVersionNumber: acknowledged,
    states: storedStates(states),
    closedAt,
  };
}

/** The key check and many subjects' status in one statement, in the order asked. */
export async function keyedBatchStatus(
  keySha256: string,
  externalIds: readonly string[],
  at: Date = now(),
): Promise<Keyed<SubjectStatusOut[]>> {
  const { rows } = await pool.query<KeyedRow<BatchRow>>({
    name: "keyed-batch-status-v10",
    text: KEYED_BATCH_SQL,
    values: [keySha256, at.toISOString(), externalIds],
  });
  const row = rows[0];
  if (!row) throw new Error("batch status: the query returned no row");
  const catalog = await catalogFor(row.catalog_stamp);
  return {
    key: keyOf(row),
    answer: () => {
      const heads = row.subjects ?? [];
      const build = statusBuilder(catalog, at);
      return externalIds.map((id, i) => {
        const subject = heads[i];
        if (!subject) throw new Error("batch status: a subject is missing from the answer");
        return build(id, headOfTuple(subject));
      });
    },
  };
}
