// The explorer's keyset pages and filters, and the dashboards' SQL
// aggregates, against a ledger whose every event this test wrote (its own
// database, so the numbers are exact).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";
import { seed } from "@/prisma/seed";
import { writeSyntheticLedger } from "@/lib/ledger/testing/synthetic-ledger";
import { endPool } from "@/tests/helpers/end-pool";
import { explorerQuerySchema } from "@/lib/audit/filters";

let database: TestDatabase;
let db: pg.Pool;
let explorer: typeof import("@/lib/audit/explorer");
let dashboards: typeof import("@/lib/audit/dashboards");
let subjects: string[];
let schema: ReturnType<typeof explorerQuerySchema>;
const MONDAY = new Date("2025-03-03T00:00:00.000Z");
const HOUR = 3_600_000;

beforeAll(async () => {
  database = await createTestDatabase();
  await seed(database.url, { demoAccounts: false });
  // The services read DATABASE_URL when first imported: point them at this database.
  process.env.DATABASE_URL = database.runtimeUrl;
  delete (globalThis as { accordPool?: unknown }).accordPool;
  delete (globalThis as { accordPrisma?: unknown }).accordPrisma;
  explorer = await import("@/lib/audit/explorer");
  dashboards = await import("@/lib/audit/dashboards");
  db = new pg.Pool({ connectionString: database.url, max: 2 });
  // 20 users (created the day before), 400 events an hour apart; each user's first event accepts v1.
  subjects = await writeSyntheticLedger(db, {
    subjects: 20,
    events: 400,
    start: MONDAY,
    stepMs: HOUR,
    emailPrefix: "reads",
  });
  // 30 events at one and the same millisecond: only the id orders them.
  await writeSyntheticLedger(db, {
    subjects: 3,
    events: 30,
    start: new Date("2025-06-01T00:00:00Z"),
    stepMs: 0,
  });
  // Six active users who never accepted; one of them leaves on 12 March.
  for (let i = 0; i < 6; i++) {
    await db.query(
      `INSERT INTO users (id, email, password_hash, created_at, deregistered_at) VALUES ($1, $2, 'x', $3, $4)`,
      [
        randomUUID(),
        `idle-${i}-${randomUUID()}@int.accord.test`,
        new Date("2025-03-01T00:00:00Z"),
        i === 0 ? new Date("2025-03-12T00:00:00Z") : null,
      ],
    );
  }
  schema = explorerQuerySchema(await explorer.listPurposeKeys());
}, 120_000);

afterAll(async () => {
  const { pool } = await import("@/lib/db");
  await endPool(pool);
  if (db) await endPool(db);
  await database?.drop();
});

async function allPages(input: Record<string, string>) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Awaited<ReturnType<typeof explorer.listConsentEvents>> = await explorer.listConsentEvents(
      schema.parse({ ...input, ...(cursor ? { cursor } : {}) }),
    );
    ids.push(...page.rows.map((row) => row.id));
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 100);
  return { ids, pages };
}

describe("the explorer", () => {
  it("walks every event newest first, page by page, none twice, even when times tie", async () => {
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM consent_events ORDER BY recorded_at DESC, id DESC`,
    );
    const { ids, pages } = await allPages({ limit: "7" });
    expect(ids).toEqual(rows.map((r) => r.id));
    expect(new Set(ids).size).toBe(430);
    expect(pages).toBe(Math.ceil(430 / 7));
  });

  it("filters by user email or id, purpose, action, method, version and date range", async () => {
    const subject = subjects[3] as string;
    const { rows: emails } = await db.query<{ email: string }>(`SELECT email FROM users WHERE id = $1`, [
      subject,
    ]);
    const byEmail = await allPages({ user: emails[0]?.email ?? "", limit: "200" });
    const byId = await allPages({ user: subject, limit: "200" });
    expect(byEmail.ids).toHaveLength(20);
    expect(byId.ids).toEqual(byEmail.ids);

    const expected = async (where: string, values: unknown[] = []) =>
      (
        await db.query<{ id: string }>(
          `SELECT id FROM consent_events WHERE ${where} ORDER BY recorded_at DESC, id DESC`,
          values,
        )
      ).rows.map((r) => r.id);
    expect((await allPages({ purpose: "surveys", action: "PURPOSE_WITHDRAWN", limit: "200" })).ids).toEqual(
      await expected(`purpose_key = 'surveys' AND action = 'PURPOSE_WITHDRAWN'`),
    );
    expect((await allPages({ method: "API", version: "1", limit: "200" })).ids).toEqual(
      await expected(`method = 'API' AND version_number = 1`),
    );
    // A date-only range covers whole UTC days: 4 March is 24 hourly events.
    const day = await allPages({ from: "2025-03-04", to: "2025-03-04", limit: "200" });
    expect(day.ids).toEqual(
      await expected(`recorded_at >= '2025-03-04T00:00Z' AND recorded_at < '2025-03-05T00:00Z'`),
    );
    expect(day.ids).toHaveLength(24);
    expect((await allPages({ user: "nobody@int.accord.test" })).ids).toEqual([]);
  });

  it("counts only when asked", async () => {
    const quiet = await explorer.listConsentEvents(schema.parse({ purpose: "surveys" }));
    expect(quiet.total).toBeNull();
    const counted = await explorer.listConsentEvents(schema.parse({ purpose: "surveys", count: "1" }));
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM consent_events WHERE purpose_key = 'surveys'`,
    );
    expect(counted.total).toBe(rows[0]?.n);
  });
});

describe("the dashboards", () => {
  // The last millisecond of Sunday 23 March: the current week is the one starting 17 March.
  const at = new Date("2025-03-23T23:59:59.999Z");

  it("share of active users who accepted the version in effect, at the end of each week", async () => {
    expect(await dashboards.acceptanceOverTime(4, at)).toEqual([
      // Ends 3 March 00:00: only the very first acceptance (at that very instant) counts.
      { week: "2025-02-24", versionNumber: 1, activeUsers: 26, accepted: 1, share: 1 / 26 },
      { week: "2025-03-03", versionNumber: 1, activeUsers: 26, accepted: 20, share: 20 / 26 },
      { week: "2025-03-10", versionNumber: 1, activeUsers: 25, accepted: 20, share: 20 / 25 },
      { week: "2025-03-17", versionNumber: 1, activeUsers: 25, accepted: 20, share: 20 / 25 },
    ]);
  });

  it("re-consent progress since the latest material version", async () => {
    const progress = await dashboards.reconsentProgress(at);
    expect(progress.version).toMatchObject({ number: 1 });
    expect(progress.bucket).toBe("week");
    expect(progress.activeUsers).toBe(25);
    expect(progress.points[0]?.date).toBe("2024-07-29");
    expect(progress.points.at(-1)).toEqual({
      date: "2025-03-17",
      newAcceptances: 0,
      accepted: 20,
      share: 20 / 25,
    });
    expect(progress.points.find((p) => p.date === "2025-03-03")).toMatchObject({
      newAcceptances: 20,
      accepted: 20,
    });
    expect(progress.points.reduce((sum, p) => sum + p.newAcceptances, 0)).toBe(20);
  });

  it("grants and withdrawals per purpose per week match a count done here, zeros included", async () => {
    const activity = await dashboards.purposeActivity(4, at);
    const { rows } = await db.query<{ recorded_at: Date; purpose_key: string; action: string }>(
      `SELECT recorded_at, purpose_key, action FROM consent_events WHERE purpose_key IS NOT NULL`,
    );
    const expected = new Map<string, { granted: number; withdrawn: number }>();
    for (const row of rows) {
      if (row.recorded_at > at) continue;
      const t = row.recorded_at.getTime();
      const monday = new Date(t - (((row.recorded_at.getUTCDay() + 6) % 7) * 86_400_000 + (t % 86_400_000)));
      const key = `${monday.toISOString().slice(0, 10)} ${row.purpose_key}`;
      const entry = expected.get(key) ?? { granted: 0, withdrawn: 0 };
      if (row.action === "PURPOSE_GRANTED") entry.granted += 1;
      else entry.withdrawn += 1;
      expected.set(key, entry);
    }
    const optional = [
      "optimisation",
      "personalisation",
      "precise-location",
      "recommendations",
      "surveys",
      "third-party-sharing",
    ];
    expect(activity).toHaveLength(4 * optional.length);
    for (const row of activity) {
      expect(row, `${row.week} ${row.purposeKey}`).toEqual({
        week: row.week,
        purposeKey: row.purposeKey,
        ...(expected.get(`${row.week} ${row.purposeKey}`) ?? { granted: 0, withdrawn: 0 }),
      });
    }
    expect(
      activity.filter((r) => r.week === "2025-02-24").every((r) => r.granted === 0 && r.withdrawn === 0),
    ).toBe(true);
    expect(activity.reduce((sum, r) => sum + r.granted + r.withdrawn, 0)).toBe(380);
  });
});
