// Who may reach what: every audit page and route, and the admin pages, tried
// as anonymous, USER, ADMIN and AUDITOR. One table of expectations; each role's
// test walks all of it and reports every cell that differs.
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { openRightsRequest } from "@/lib/rights/requests";

type Role = "anonymous" | "USER" | "ADMIN" | "AUDITOR";
/** page: "ok" (rendered), "signin" (sent to sign in), 403. api: the HTTP status. */
type Outcome = "ok" | "signin" | number;

interface Row {
  path: (ids: Ids) => string;
  kind: "page" | "api";
  expect: Record<Role, Outcome>;
}

interface Ids {
  eventId: string;
  versionId: string;
  requestId: string;
  reference: string;
}

const AUDIT_PAGE = { anonymous: "signin", USER: 403, ADMIN: "ok", AUDITOR: "ok" } as const;
const ADMIN_PAGE = { anonymous: "signin", USER: 403, ADMIN: "ok", AUDITOR: 403 } as const;
const ACCOUNT_PAGE = { anonymous: "signin", USER: "ok", ADMIN: "ok", AUDITOR: "ok" } as const;
/** Another user's request: signed-in users get 404 (not found, not forbidden). */
const OTHERS_REQUEST_PAGE = { anonymous: "signin", USER: 404, ADMIN: 404, AUDITOR: 404 } as const;
const PUBLIC_PAGE = { anonymous: "ok", USER: "ok", ADMIN: "ok", AUDITOR: "ok" } as const;
/** Everyone signed in gets their own data; nobody else's can be asked for. */
const OWN_DATA = { anonymous: 401, USER: 200, ADMIN: 200, AUDITOR: 200 } as const;
const AUDIT_API = (allowed: number) => ({ anonymous: 401, USER: 403, ADMIN: allowed, AUDITOR: allowed });

const MATRIX: Row[] = [
  { kind: "page", path: () => "/audit", expect: AUDIT_PAGE },
  { kind: "page", path: () => "/audit?purpose=surveys&from=2024-01-01", expect: AUDIT_PAGE },
  { kind: "page", path: ({ eventId }) => `/audit/events/${eventId}`, expect: AUDIT_PAGE },
  { kind: "page", path: () => "/audit/exports", expect: AUDIT_PAGE },
  { kind: "page", path: () => "/audit/dashboards", expect: AUDIT_PAGE },
  { kind: "page", path: () => "/audit/log", expect: AUDIT_PAGE },
  { kind: "page", path: () => "/admin", expect: ADMIN_PAGE },
  { kind: "page", path: ({ versionId }) => `/admin/versions/${versionId}`, expect: ADMIN_PAGE },
  { kind: "page", path: ({ versionId }) => `/admin/versions/${versionId}/publish`, expect: ADMIN_PAGE },
  { kind: "page", path: () => "/admin/requests", expect: ADMIN_PAGE },
  { kind: "page", path: () => "/admin/retention", expect: ADMIN_PAGE },
  { kind: "page", path: () => "/admin/requests?view=overdue&type=CLOSURE", expect: ADMIN_PAGE },
  { kind: "page", path: ({ requestId }) => `/admin/requests/${requestId}`, expect: ADMIN_PAGE },
  { kind: "page", path: () => "/account/requests", expect: ACCOUNT_PAGE },
  { kind: "page", path: ({ reference }) => `/account/requests/${reference}`, expect: OTHERS_REQUEST_PAGE },
  { kind: "page", path: () => "/admin/api-keys", expect: ADMIN_PAGE },
  { kind: "page", path: () => "/admin/webhooks", expect: ADMIN_PAGE },
  // Webhook management by API is for keys with webhooks:manage only: a session is no key.
  {
    kind: "api",
    path: () => "/api/v1/webhooks",
    expect: { anonymous: 401, USER: 401, ADMIN: 401, AUDITOR: 401 },
  },
  { kind: "page", path: () => "/admin/holds", expect: ADMIN_PAGE },
  { kind: "page", path: () => "/admin/linked-accounts", expect: ADMIN_PAGE },
  { kind: "page", path: () => "/account/data", expect: ACCOUNT_PAGE },
  { kind: "page", path: () => "/account/deregister", expect: ACCOUNT_PAGE },
  { kind: "page", path: () => "/account/deregister/cancel", expect: PUBLIC_PAGE },
  // Account emails' pages: the emailed link is the proof, whoever is signed in (a dead link says so).
  { kind: "page", path: () => "/forgot-password", expect: PUBLIC_PAGE },
  { kind: "page", path: () => "/signup/check-email", expect: PUBLIC_PAGE },
  { kind: "page", path: () => "/reset-password?token=unknown", expect: PUBLIC_PAGE },
  { kind: "page", path: () => "/verify-email?token=unknown", expect: PUBLIC_PAGE },
  { kind: "page", path: () => "/confirm-email?token=unknown", expect: PUBLIC_PAGE },
  { kind: "api", path: () => "/api/v1/me/data", expect: OWN_DATA },
  { kind: "api", path: () => "/account/data/view", expect: OWN_DATA },
  { kind: "api", path: () => "/api/v1/audit/events", expect: AUDIT_API(200) },
  { kind: "api", path: () => "/api/v1/audit/events?from=2024-02-30", expect: AUDIT_API(400) },
  { kind: "api", path: ({ eventId }) => `/api/v1/audit/events/${eventId}`, expect: AUDIT_API(200) },
  { kind: "api", path: ({ eventId }) => `/api/v1/audit/events/${eventId}/receipt`, expect: AUDIT_API(200) },
  { kind: "api", path: () => `/api/v1/audit/events/${randomUUID()}`, expect: AUDIT_API(404) },
  {
    kind: "api",
    path: () => `/api/v1/audit/exports?format=ndjson&user=nobody-${randomUUID()}@e2e.accord.test`,
    expect: AUDIT_API(200),
  },
  {
    kind: "api",
    path: () => `/api/v1/audit/exports?format=csv&version=1&method=GPC&exportId=${randomUUID()}`,
    expect: AUDIT_API(200),
  },
  { kind: "api", path: () => `/api/v1/audit/exports/${randomUUID()}/manifest`, expect: AUDIT_API(404) },
  { kind: "api", path: () => "/api/v1/audit/dashboards", expect: AUDIT_API(200) },
];

async function outcomeOf(page: Page, row: Row, ids: Ids): Promise<Outcome> {
  const path = row.path(ids);
  if (row.kind === "api") {
    const response = await page.request.get(path, { maxRedirects: 0 });
    return response.status();
  }
  const response = await page.goto(path);
  if (new URL(page.url()).pathname === "/signin") return "signin";
  const status = response?.status() ?? 0;
  return status === 200 ? "ok" : status;
}

for (const role of ["anonymous", "USER", "ADMIN", "AUDITOR"] as const) {
  test(`authorisation matrix as ${role}`, async ({ page, makeUser, signInAs, db }) => {
    const subject = await makeUser({ accepted: true });
    const { rows } = await db.query<{ id: string; version_id: string }>(
      `SELECT id, version_id FROM consent_events WHERE subject_id = $1`,
      [subject.id],
    );
    const opened = await openRightsRequest(
      { actor: subject, meta: { ipTruncated: null, userAgent: "e2e" } },
      { type: "QUESTION", message: "A question from another user." },
    );
    if (!opened.ok) throw new Error(opened.message);
    const { rows: requests } = await db.query<{ id: string }>(
      `SELECT id FROM rights_requests WHERE reference = $1`,
      [opened.data.reference],
    );
    const ids: Ids = {
      eventId: rows[0]?.id ?? "",
      versionId: rows[0]?.version_id ?? "",
      requestId: requests[0]?.id ?? "",
      reference: opened.data.reference,
    };
    if (role !== "anonymous") await signInAs(page, { role });

    const mismatches: string[] = [];
    for (const row of MATRIX) {
      const got = await outcomeOf(page, row, ids);
      if (got !== row.expect[role])
        mismatches.push(`${row.kind} ${row.path(ids)}: expected ${row.expect[role]}, got ${got}`);
    }
    expect(mismatches).toEqual([]);
  });
}
