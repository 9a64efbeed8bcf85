import { describe, expect, it } from "vitest";
import {
  decodeCursor,
  encodeCursor,
  explorerQuerySchema,
  exportQuerySchema,
  filtersSchema,
} from "@/lib/audit/filters";
import { eventWhere } from "@/lib/audit/event-sql";

const keys = ["service", "surveys", "third-party-sharing"];
const explorer = explorerQuerySchema(keys);

function errorsOf(input: Record<string, unknown>) {
  const result = explorer.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join("."), issue.message]));
}

describe("explorer filters", () => {
  it("normalise valid input: a date-only end includes its whole day, empty fields mean no filter", () => {
    const parsed = explorer.parse({
      from: "2025-03-01",
      to: "2025-03-31",
      user: "Ann@Example.com",
      purpose: "surveys",
      action: "PURPOSE_GRANTED",
      version: "2",
      method: "WEB",
      limit: "",
      count: "1",
    });
    expect(parsed.filters).toMatchObject({
      from: new Date("2025-03-01T00:00:00.000Z"),
      toExclusive: new Date("2025-04-01T00:00:00.000Z"),
      user: { email: "ann@example.com" },
      purpose: "surveys",
      action: "PURPOSE_GRANTED",
      version: 2,
      method: "WEB",
    });
    expect(parsed.filters.raw).toEqual({
      from: "2025-03-01",
      to: "2025-03-31",
      user: "Ann@Example.com",
      purpose: "surveys",
      action: "PURPOSE_GRANTED",
      version: "2",
      method: "WEB",
    });
    expect(parsed).toMatchObject({ limit: 50, count: true, cursor: null });
  });

  it("accept ISO date-times with a zone; a date-time end includes its millisecond", () => {
    const parsed = explorer.parse({ from: "2025-03-01T10:00:00+02:00", to: "2025-03-01T09:00:00.250Z" });
    expect(parsed.filters.from).toEqual(new Date("2025-03-01T08:00:00.000Z"));
    expect(parsed.filters.toExclusive).toEqual(new Date("2025-03-01T09:00:00.251Z"));
  });

  it("a user id is matched as an id, not an email", () => {
    const id = "7C9E6679-7425-40DE-944B-E07FC1F90AE7";
    expect(explorer.parse({ user: id }).filters.user).toEqual({ id: id.toLowerCase() });
  });

  it("refuse bad dates, unknown purposes, reversed ranges and other malformed values, with the reason", () => {
    expect(errorsOf({ from: "2024-02-30" }).from).toMatch(/yyyy-mm-dd/);
    expect(errorsOf({ from: "2024-02-30T10:00Z" }).from).toMatch(/yyyy-mm-dd/);
    expect(errorsOf({ to: "2025-03-01T10:00:00" }).to).toMatch(/time zone/);
    expect(errorsOf({ from: "last week" }).from).toMatch(/yyyy-mm-dd/);
    expect(errorsOf({ from: "2025-03-02", to: "2025-03-01" }).to).toMatch(/before its start/);
    expect(errorsOf({ from: "2025-03-01", to: "2025-03-01" })).toEqual({});
    expect(errorsOf({ purpose: "telepathy" }).purpose).toBe('Unknown purpose "telepathy".');
    expect(errorsOf({ action: "DELETED" }).action).toBe("Unknown action.");
    expect(errorsOf({ method: "FAX" }).method).toBe("Unknown method.");
    expect(errorsOf({ version: "1.5" }).version).toMatch(/whole/);
    expect(errorsOf({ version: "0" }).version).toMatch(/from 1/);
    expect(errorsOf({ user: "nobody" }).user).toMatch(/email address or their id/);
    expect(errorsOf({ limit: "201" }).limit).toMatch(/at most 200/);
    expect(errorsOf({ cursor: "garbage" }).cursor).toMatch(/malformed/);
    expect(errorsOf({ count: "yes" }).count).toMatch(/count=1/);
    expect(errorsOf({ purpose: ["surveys", "service"] }).purpose).toBeTruthy();
  });

  it("cursors round-trip and reject anything else", () => {
    const cursor = {
      recordedAt: new Date("2025-03-01T10:00:00.123Z"),
      id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(explorer.parse({ cursor: encodeCursor(cursor) }).cursor).toEqual(cursor);
    expect(decodeCursor(Buffer.from("2025-03-01T10:00:00.123Z|not-a-uuid").toString("base64url"))).toBeNull();
    expect(
      decodeCursor(Buffer.from("yesterday|7c9e6679-7425-40de-944b-e07fc1f90ae7").toString("base64url")),
    ).toBeNull();
  });

  it("exports need a format and take the same filters", () => {
    expect(exportQuerySchema(keys).safeParse({ purpose: "surveys" }).success).toBe(false);
    expect(exportQuerySchema(keys).parse({ format: "csv", purpose: "surveys" })).toMatchObject({
      format: "csv",
      exportId: null,
      filters: { purpose: "surveys" },
    });
    expect(exportQuerySchema(keys).safeParse({ format: "xlsx" }).success).toBe(false);
    expect(exportQuerySchema(keys).safeParse({ format: "csv", exportId: "1" }).success).toBe(false);
    expect(filtersSchema(keys).safeParse({ from: "2025-01-02", to: "2025-01-01" }).success).toBe(false);
  });
});

describe("the SQL the filters become", () => {
  it("binds every value and adds the keyset condition after the filters", () => {
    const { filters, cursor } = explorer.parse({
      from: "2025-03-01",
      user: "ann@example.com",
      purpose: "surveys",
      cursor: encodeCursor({
        recordedAt: new Date("2025-03-05T00:00:00Z"),
        id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
      }),
    });
    const where = eventWhere(filters, { cursor });
    expect(where.text).toBe(
      "WHERE e.recorded_at >= $1 AND e.subject_id = (SELECT u.id FROM users u WHERE u.email = $2) AND e.purpose_key = $3 AND (e.recorded_at, e.id) < ($4, $5::uuid)",
    );
    expect(where.values).toEqual([
      new Date("2025-03-01T00:00:00Z"),
      "ann@example.com",
      "surveys",
      new Date("2025-03-05T00:00:00Z"),
      "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    ]);
    expect(eventWhere(explorer.parse({}).filters)).toEqual({ text: "", values: [] });
  });
});
