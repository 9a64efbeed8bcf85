// The WHERE clause of every consent-log read (explorer, count, exports), built
// once from the validated filters so a page, its export and its count always
// select the same events. Values are bound parameters, never spliced in.
import type { Cursor, EventFilters } from "@/lib/audit/filters";

export interface SqlWhere {
  text: string;
  values: unknown[];
}

/** `alias` is the consent_events alias in the caller's query. */
export function eventWhere(
  filters: EventFilters,
  options: { alias?: string; cursor?: Cursor | null } = {},
): SqlWhere {
  const e = options.alias ?? "e";
  const clauses: string[] = [];
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if (filters.from) clauses.push(`${e}.recorded_at >= ${bind(filters.from)}`);
  if (filters.toExclusive) clauses.push(`${e}.recorded_at < ${bind(filters.toExclusive)}`);
  if (filters.user && "id" in filters.user) clauses.push(`${e}.subject_id = ${bind(filters.user.id)}::uuid`);
  if (filters.user && "email" in filters.user) {
    clauses.push(`${e}.subject_id = (SELECT u.id FROM users u WHERE u.email = ${bind(filters.user.email)})`);
  }
  if (filters.purpose) clauses.push(`${e}.purpose_key = ${bind(filters.purpose)}`);
  if (filters.action) clauses.push(`${e}.action = ${bind(filters.action)}::"ConsentAction"`);
  if (filters.version) clauses.push(`${e}.version_number = ${bind(filters.version)}`);
  if (filters.method) clauses.push(`${e}.method = ${bind(filters.method)}::"ConsentMethod"`);
  if (options.cursor) {
    // Row comparison matches the (recorded_at DESC, id DESC) index: keyset, not OFFSET.
    clauses.push(
      `(${e}.recorded_at, ${e}.id) < (${bind(options.cursor.recordedAt)}, ${bind(options.cursor.id)}::uuid)`,
    );
  }
  return { text: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", values };
}
