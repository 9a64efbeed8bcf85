// The consent log's filters: one zod schema shared by the explorer page, its
// JSON API and the exports, so all three accept and refuse exactly the same
// input. Pure (no database): the caller passes the purpose keys that exist.
import { z } from "zod";
import { ConsentAction, ConsentMethod } from "@/lib/generated/prisma/enums";
import { digitsInt } from "@/lib/http/query-params";
import { fieldMessage } from "@/lib/validation/messages";

export const CONSENT_ACTIONS = Object.values(ConsentAction);
export const CONSENT_METHODS = Object.values(ConsentMethod);
export const FILTER_KEYS = ["from", "to", "user", "purpose", "action", "version", "method"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
/** The filters as given (normalised strings): echoed in URLs and export manifests. */
export type RawFilters = Partial<Record<FilterKey, string>>;

export interface EventFilters {
  raw: RawFilters;
  /** Inclusive lower bound on recordedAt. */
  from?: Date;
  /** Exclusive upper bound on recordedAt (a date-only `to` includes that whole day). */
  toExclusive?: Date;
  user?: { id: string } | { email: string };
  purpose?: string;
  action?: ConsentAction;
  version?: number;
  method?: ConsentMethod;
}

export interface Cursor {
  recordedAt: Date;
  id: string;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Form fields left empty arrive as "": they mean "no filter".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    schema.optional(),
  );

/** A date (yyyy-mm-dd, UTC) or an ISO 8601 date-time with a zone. Rejects 2024-02-30. */
const dateParam = z
  .string()
  .trim()
  .refine((text) => parseDateParam(text) !== null, {
    error: fieldMessage("filterDate"),
  });

/** Dates are limited to years 0001–9999: what Postgres, ISO 8601 (without a sign) and CSV readers agree on. */
export const EARLIEST_DATE = new Date("0001-01-01T00:00:00.000Z");
export const LATEST_DATE = new Date("9999-12-31T23:59:59.999Z");

const inRange = (at: Date) =>
  at.getTime() >= EARLIEST_DATE.getTime() && at.getTime() <= LATEST_DATE.getTime();

export function parseDateParam(text: string): { at: Date; dateOnly: boolean } | null {
  if (DATE_ONLY.test(text)) {
    const at = new Date(`${text}T00:00:00.000Z`);
    return !Number.isNaN(at.getTime()) && inRange(at) && at.toISOString().startsWith(text)
      ? { at, dateOnly: true }
      : null;
  }
  if (!DATE_TIME.test(text)) return null;
  const at = new Date(text);
  // Date accepts 2024-02-30T00:00Z by rolling over; the day must survive the round trip.
  if (Number.isNaN(at.getTime()) || !inRange(at)) return null;
  const [datePart] = text.split("T");
  const local = new Date(`${datePart}T00:00:00.000Z`);
  return local.toISOString().startsWith(datePart ?? "") ? { at, dateOnly: false } : null;
}

function filterShape(purposeKeys: readonly string[]) {
  const known = new Set(purposeKeys);
  return {
    from: optional(dateParam),
    to: optional(dateParam),
    user: optional(
      z
        .string()
        .trim()
        .max(320)
        .refine((value) => UUID.test(value) || z.email().safeParse(value).success, {
          error: fieldMessage("filterUser"),
        }),
    ),
    purpose: optional(
      z
        .string()
        .trim()
        .refine((key) => known.has(key), {
          error: (issue) => fieldMessage("filterPurpose", { key: String(issue.input) }),
        }),
    ),
    action: optional(z.enum(CONSENT_ACTIONS, { error: fieldMessage("filterAction") })),
    version: optional(
      digitsInt(fieldMessage("filterVersionWhole"), z.int().positive(fieldMessage("filterVersionMin"))),
    ),
    method: optional(z.enum(CONSENT_METHODS, { error: fieldMessage("filterMethod") })),
  };
}

function checkRange(value: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  const range = toRange(value.from, value.to);
  if (range.from && range.toExclusive && range.from >= range.toExclusive) {
    ctx.addIssue({ code: "custom", path: ["to"], message: fieldMessage("filterRange") });
  }
}

function toRange(from?: string, to?: string): { from?: Date; toExclusive?: Date } {
  const start = from ? parseDateParam(from) : null;
  const end = to ? parseDateParam(to) : null;
  return {
    ...(start ? { from: start.at } : {}),
    // A date-only end includes its whole day; a date-time end includes its millisecond.
    // Capped at the last representable millisecond, so to=9999-12-31 never becomes year 10000.
    ...(end
      ? {
          toExclusive: new Date(
            Math.min(end.at.getTime() + (end.dateOnly ? DAY_MS : 1), LATEST_DATE.getTime()),
          ),
        }
      : {}),
  };
}

type ParsedShape = { [K in FilterKey]?: K extends "version" ? number : string };

function toFilters(parsed: ParsedShape): EventFilters {
  const raw: RawFilters = {};
  for (const key of FILTER_KEYS) {
    const value = parsed[key];
    if (value !== undefined) raw[key] = String(value);
  }
  const user = parsed.user;
  return {
    raw,
    ...toRange(parsed.from, parsed.to),
    ...(user ? { user: UUID.test(user) ? { id: user.toLowerCase() } : { email: user.toLowerCase() } } : {}),
    ...(parsed.purpose ? { purpose: parsed.purpose } : {}),
    ...(parsed.action ? { action: parsed.action as ConsentAction } : {}),
    ...(parsed.version ? { version: parsed.version } : {}),
    ...(parsed.method ? { method: parsed.method as ConsentMethod } : {}),
  };
}

/** Filters only: what an export accepts besides its format. */
export function filtersSchema(purposeKeys: readonly string[]) {
  return z.strictObject(filterShape(purposeKeys)).superRefine(checkRange).transform(toFilters);
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.recordedAt.toISOString()}|${cursor.id}`, "utf8").toString("base64url");
}

export function decodeCursor(text: string): Cursor | null {
  const [at, id, ...rest] = Buffer.from(text, "base64url").toString("utf8").split("|");
  if (!at || !id || rest.length || !UUID.test(id) || !DATE_TIME.test(at)) return null;
  const recordedAt = new Date(at);
  return Number.isNaN(recordedAt.getTime()) ? null : { recordedAt, id: id.toLowerCase() };
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;

/** The explorer's query: filters plus the page cursor, page size and an opt-in count. */
export function explorerQuerySchema(purposeKeys: readonly string[]) {
  return z
    .strictObject({
      ...filterShape(purposeKeys),
      cursor: optional(
        z
          .string()
          .max(200)
          .transform((text, ctx) => {
            const cursor = decodeCursor(text);
            if (!cursor)
              ctx.addIssue({
                code: "custom",
                message: "The page cursor is malformed: start from the first page.",
              });
            return cursor ?? z.NEVER;
          }),
      ),
      limit: optional(
        digitsInt(
          "Enter a page size.",
          z.int().min(1, "The page size is at least 1.").max(200, "The page size is at most 200."),
        ),
      ),
      count: optional(z.enum(["1", "true"], { error: "Use count=1 to count the matching events." })),
    })
    .superRefine(checkRange)
    .transform((parsed) => ({
      filters: toFilters(parsed),
      cursor: parsed.cursor ?? null,
      limit: parsed.limit ?? 50,
      count: parsed.count !== undefined,
    }));
}

export type ExplorerQuery = z.infer<ReturnType<typeof explorerQuerySchema>>;

export const EXPORT_FORMATS = ["csv", "ndjson"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** An export: any filter, a format, and optionally the id the caller wants it known by. */
export function exportQuerySchema(purposeKeys: readonly string[]) {
  return z
    .strictObject({
      ...filterShape(purposeKeys),
      format: z.enum(EXPORT_FORMATS, { error: "Choose format=csv or format=ndjson." }),
      exportId: optional(z.uuid({ error: "The export id must be a UUID." })),
      // CSV for spreadsheets (docs/exports.md): formula-like cells prefixed with an apostrophe.
      spreadsheetSafe: optional(z.enum(["1", "0"], { error: "Use spreadsheetSafe=1 or leave it out." })),
    })
    .superRefine(checkRange)
    .superRefine((parsed, ctx) => {
      if (parsed.spreadsheetSafe === "1" && parsed.format !== "csv")
        ctx.addIssue({
          code: "custom",
          path: ["spreadsheetSafe"],
          message: "spreadsheetSafe=1 applies to format=csv only.",
        });
    })
    .transform((parsed) => ({
      filters: toFilters(parsed),
      format: parsed.format,
      exportId: parsed.exportId?.toLowerCase() ?? null,
      spreadsheetSafe: parsed.spreadsheetSafe === "1",
    }));
}

export type ExportQuery = z.infer<ReturnType<typeof exportQuerySchema>>;

/** Query-string form of the filters, for links (next page, exports). */
export function filtersToSearchParams(raw: RawFilters, extra: Record<string, string> = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = raw[key];
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params;
}

/** Search params as next gives them to a page, flattened the way the API sees a query string. */
export function flattenSearchParams(
  params: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) flat[key] = first;
  }
  return flat;
}

/** A query string as a record; a repeated key becomes an array (which the schemas refuse). */
export function searchParamsRecord(search: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    record[key] = values.length > 1 ? values : (values[0] ?? "");
  }
  return record;
}
