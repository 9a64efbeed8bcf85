// Issue 9, finding 7 on the audit routes: unknown query parameters, dates
// outside years 0001–9999, and the export to=9999-12-31 that dropped the
// connection and left half-written audit entries.
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { pool } from "@/lib/db";
import * as events from "@/app/api/v1/audit/events/route";
import * as event from "@/app/api/v1/audit/events/[id]/route";
import * as receipt from "@/app/api/v1/audit/events/[id]/receipt/route";
import * as exportsRoute from "@/app/api/v1/audit/exports/route";
import * as manifest from "@/app/api/v1/audit/exports/[id]/manifest/route";
import * as dashboards from "@/app/api/v1/audit/dashboards/route";
import { callRoute } from "@/tests/helpers/route-call";
import { createSignedInUser } from "@/tests/helpers/session-cookie";

let cookie: string;
beforeAll(async () => {
  cookie = (await createSignedInUser("AUDITOR")).cookie;
});

async function auditEntriesFor(exportId: string) {
  const { rows } = await pool.query<{ action: string }>(
    "SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id",
    [exportId],
  );
  return rows.map((r) => r.action);
}

describe("audit routes refuse unknown query parameters (finding 7)", () => {
  const id = randomUUID();
  it.each([
    ["/api/v1/audit/events?unknown=1", events.GET, {}],
    [`/api/v1/audit/events/${id}?unknown=1`, event.GET, { id }],
    [`/api/v1/audit/events/${id}/receipt?unknown=1`, receipt.GET, { id }],
    ["/api/v1/audit/exports?format=csv&unknown=1", exportsRoute.GET, {}],
    [`/api/v1/audit/exports/${id}/manifest?unknown=1`, manifest.GET, { id }],
    ["/api/v1/audit/dashboards?unknown=1", dashboards.GET, {}],
  ] as const)("%s → 400", async (path, handler, params) => {
    const answer = await callRoute(handler as typeof event.GET, path, {
      headers: { cookie },
      params: params as { id: string },
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: "invalid_input" } });
  });

  it.each([
    "version=1e0",
    "version=0x1",
    "version=%201",
    "limit=1e2",
    "from=0000-01-01",
    "to=10000-01-01",
    "from=9999-12-31T23:00:00-05:00",
    "to=0001-01-01T00:30:00%2B01:00",
  ])("/api/v1/audit/events?%s → 400", async (query) => {
    const answer = await callRoute(events.GET, `/api/v1/audit/events?${query}`, { headers: { cookie } });
    expect(answer.status).toBe(400);
  });

  it("weeks on the dashboards are digits only", async () => {
    for (const weeks of ["1e1", "12.0", "0x10"]) {
      const answer = await callRoute(dashboards.GET, `/api/v1/audit/dashboards?weeks=${weeks}`, {
        headers: { cookie },
      });
      expect(answer.status).toBe(400);
    }
    const fine = await callRoute(dashboards.GET, "/api/v1/audit/dashboards?weeks=8", { headers: { cookie } });
    expect(fine.status).toBe(200);
  });
});

describe("export to the last day of year 9999 (finding 7)", () => {
  it("answers, finishes, and records started + completed", async () => {
    const exportId = randomUUID();
    const answer = await callRoute(
      exportsRoute.GET,
      `/api/v1/audit/exports?format=ndjson&from=0001-01-01&to=9999-12-31&exportId=${exportId}`,
      { headers: { cookie } },
    );
    expect(answer.status).toBe(200);
    const lines = answer.text.trim().split("\n");
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ exportId });
    expect(await auditEntriesFor(exportId)).toEqual(["audit.export.started", "audit.export.completed"]);
  });

  it("a date past 9999 is a 400 and writes no audit entry", async () => {
    const exportId = randomUUID();
    const answer = await callRoute(
      exportsRoute.GET,
      `/api/v1/audit/exports?format=csv&to=10000-01-01&exportId=${exportId}`,
      { headers: { cookie } },
    );
    expect(answer.status).toBe(400);
    expect(await auditEntriesFor(exportId)).toEqual([]);
  });
});
