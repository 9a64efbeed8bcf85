// Issue 9, "Must hold": the authorisation matrix covers mutations. Every
// server action in the build (from Next's server-reference manifest, so a new
// action is covered the day it is added) and every POST route is called by
// each role that must not use it, with the exact encoding a browser sends.
// Each call must be refused (401 or 403) and nothing may be written.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { test, expect } from "./fixtures";

type Role = "anonymous" | "USER" | "ADMIN" | "AUDITOR";
const ROLES: Role[] = ["anonymous", "USER", "ADMIN", "AUDITOR"];

interface Action {
  id: string;
  filename: string;
  exportedName: string;
  /** A page that uses the action: Next runs an action only from a page whose bundle has it. */
  page: string;
}

/** "app/(account)/account/consent/page" → "/account/consent"; dynamic segments get a made-up value. */
function pagePath(worker: string): string {
  const segments = worker
    .replace(/^app\//, "")
    .replace(/\/?page$/, "")
    .split("/")
    .filter((segment) => segment && !/^\(.*\)$/.test(segment))
    .map((segment) => (/^\[.*\]$/.test(segment) ? "00000000-0000-4000-8000-000000000000" : segment));
  return `/${segments.join("/")}`;
}

/** Actions open to everyone although they live in a signed-in area, and why. */
const PUBLIC_ACTIONS = new Set([
  // Restoring a closed account during its grace period: the person is signed out and re-authenticates.
  "app/(account)/account/deregister/actions.ts#cancelDeregistrationAction",
]);

/** Who may call an action, by the area its file lives in (the same rule the pages follow). */
function allowedRoles(filename: string, exportedName: string): readonly Role[] {
  if (PUBLIC_ACTIONS.has(`${filename}#${exportedName}`)) return ROLES;
  if (filename.startsWith("app/admin/")) return ["ADMIN"];
  if (filename.startsWith("app/audit/")) return ["ADMIN", "AUDITOR"];
  if (filename.startsWith("app/(account)/account/")) return ["USER", "ADMIN", "AUDITOR"];
  // Sign-up, "Forgot password?", the emailed account links (which carry their own token),
  // the language switch and hosted flows (which carry their own signed link).
  if (/^app\/\((account|public|hosted)\)\//.test(filename)) return ROLES;
  throw new Error(`no rule for server actions in ${filename}: add one to e2e/authz-mutations.spec.ts`);
}

function actions(): Action[] {
  const distDir = process.env.NEXT_DIST_DIR ?? ".next-e2e";
  const manifest = JSON.parse(
    readFileSync(path.join(distDir, "server", "server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, { filename, exportedName, workers }]) => {
    const pages = Object.keys(workers).filter((w) => w.endsWith("/page"));
    // Prefer a page without dynamic segments.
    const page = pages.find((w) => !w.includes("[")) ?? pages[0] ?? "app/page";
    return { id, filename, exportedName, page: pagePath(page) };
  });
}

/** POST routes: [path, who may call it]. API-key routes take no session at all. */
const ROUTES: [string, readonly Role[]][] = [
  ["/api/v1/me/consent", ["USER", "ADMIN", "AUDITOR"]],
  ["/api/v1/webhooks", []],
  ["/api/v1/hosted-links", []],
  ["/api/v1/subjects/authz-subject/consent", []],
  ["/api/v1/subjects/status", []],
  ["/api/v1/subjects/authz-subject/token", []],
];

const TABLES = [
  "users",
  "consent_events",
  "audit_log",
  "agreement_versions",
  "purposes",
  "rights_requests",
  "rights_request_notes",
  "api_keys",
  "legal_holds",
  "webhook_endpoints",
  "notifications",
];

/** Calls a server action as React does: Next-Action header, arguments as JSON text. */
async function callAction(request: APIRequestContext, baseURL: string, action: Action) {
  const response = await request.post(action.page, {
    headers: {
      "next-action": action.id,
      accept: "text/x-component",
      "content-type": "text/plain;charset=UTF-8",
      origin: baseURL,
    },
    data: JSON.stringify(["$undefined", {}]),
    maxRedirects: 0,
  });
  const text = await response.text();
  const refusal = /"status":(40[13]),"code":"([a-z_]+)"/.exec(text);
  return { http: response.status(), refused: refusal ? Number(refusal[1]) : null, text };
}

for (const role of ROLES) {
  test(`mutations refused to ${role}, with nothing written`, async ({
    page,
    makeUser,
    signIn,
    db,
    baseURL,
  }) => {
    test.setTimeout(180_000);
    if (role !== "anonymous") await signIn(page, await makeUser({ role, accepted: true }));
    const counts = async () =>
      Object.fromEntries(
        await Promise.all(
          TABLES.map(async (t) => {
            const exists = await db.query("SELECT to_regclass($1) AS t", [t]);
            if (!exists.rows[0].t) return [t, 0] as const;
            return [t, Number((await db.query(`SELECT count(*) AS n FROM "${t}"`)).rows[0].n)] as const;
          }),
        ),
      );
    const before = await counts();
    const wrong: string[] = [];
    let tried = 0;
    for (const action of actions()) {
      if (allowedRoles(action.filename, action.exportedName).includes(role)) continue;
      tried++;
      const answer = await callAction(page.request, baseURL as string, action);
      const expected = role === "anonymous" ? 401 : 403;
      if (answer.refused !== expected || answer.http >= 500)
        wrong.push(
          `${action.filename}#${action.exportedName}: HTTP ${answer.http}, ${answer.text.slice(0, 160)}`,
        );
    }
    for (const [route, allowed] of ROUTES) {
      if (allowed.includes(role)) continue;
      tried++;
      const response = await page.request.post(route, {
        data: {},
        headers: { origin: baseURL as string },
      });
      if (response.status() !== 401) wrong.push(`POST ${route}: ${response.status()}`);
    }
    expect(wrong).toEqual([]);
    expect(tried).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
  });
}

test("a NUL byte in an admin title, body or purpose is a field error, not a 500", async ({
  page,
  signInAs,
  db,
  baseURL,
}) => {
  await signInAs(page, { role: "ADMIN" });
  const saveDraft = actions().find((a) => a.exportedName === "saveDraftAction");
  const addPurpose = actions().find((a) => a.exportedName === "addPurposeAction");
  if (!saveDraft || !addPurpose) throw new Error("admin actions not found in the build");
  const draft = (await db.query(`SELECT id FROM agreement_versions LIMIT 1`)).rows[0].id as string;
  for (const [action, input] of [
    [saveDraft, { versionId: draft, title: "T\u0000itle", bodyMarkdown: "x" }],
    [saveDraft, { versionId: draft, title: "Title", bodyMarkdown: "bo\u0000dy" }],
    [addPurpose, { versionId: draft, key: "nul-purpose", name: "N\u0000", description: "d" }],
  ] as const) {
    const response = await page.request.post("/admin", {
      headers: {
        "next-action": action.id,
        accept: "text/x-component",
        "content-type": "text/plain;charset=UTF-8",
        origin: baseURL as string,
      },
      data: JSON.stringify(["$undefined", input]),
    });
    expect(response.status()).toBeLessThan(500);
    const text = await response.text();
    expect(text).toContain('"status":400');
    expect(text).toContain("NUL character");
  }
});
