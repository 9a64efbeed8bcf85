// People's rights, the whole story (issue 11): a user downloads their data,
// closes their account and cannot sign in; the admin sees the closure on the
// desk and puts another closed account on legal hold; the clock moves past the
// grace period, then past the evidence period: the first user's personal
// fields are gone from every table, the ledger and an auditor's export still
// verify and report the pruned events, and the subject on hold is untouched.
import { readFileSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import type pg from "pg";
import { test, expect } from "./fixtures";
import { DAY } from "./helpers/dates";
import { startMailCatcher, type MailCatcher } from "@/tests/helpers/mail-catcher";
import { deregister } from "@/lib/rights/deregister";
import { openRightsRequest } from "@/lib/rights/requests";
import { runRetention } from "@/lib/retention/purge";
import { verifyExportFile } from "@/lib/ledger/export/verify-export-file";

let smtp: MailCatcher;
test.beforeAll(async () => {
  smtp = await startMailCatcher();
});
test.afterAll(async () => {
  await smtp.close();
});

// Mail goes out through `npm run worker -- --once` in its own process, as in
// production, to the SMTP server of this test process (so never spawnSync:
// the server must keep answering while the worker sends).
async function deliverMail(catcher: MailCatcher, appUrl: string) {
  const worker = spawn("npx", ["tsx", "--conditions=react-server", "scripts/worker.ts", "--once"], {
    env: { ...process.env, SMTP_URL: catcher.url, APP_URL: appUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  worker.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  worker.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => worker.once("exit", resolve));
  expect(code, output).toBe(0);
}

const appLinks = (text: string | undefined, appUrl: string) =>
  [...(text ?? "").matchAll(/https?:\/\/\S+/g)].map((m) => m[0]).filter((url) => url.startsWith(appUrl));

/** Every text-like column of every table holding `needle` (a column added later is searched too). */
async function columnsContaining(db: pg.Pool, needle: string): Promise<string[]> {
  const { rows: columns } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public'
       AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')`,
  );
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const { rows } = await db.query(
      `SELECT 1 FROM "${table_name}" WHERE strpos("${column_name}"::text, $1) > 0 LIMIT 1`,
      [needle],
    );
    if (rows.length) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

test("download my data, deregister, erasure and pruning after the clock moves, a legal hold", async ({
  page,
  browser,
  baseURL,
  signInAs,
  signIn,
  makeUser,
  clock,
  snap,
  expectAccessible,
  db,
}) => {
  test.setTimeout(240_000);
  const user = await signInAs(page, { accepted: true });

  // Download my data: one click for the archive, one for the readable page.
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Your data" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Download your data" })).toBeVisible();
  await snap(page, "account-data");
  await expectAccessible(page);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download as JSON" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.json$/);
  const file = test.info().outputPath("my-data.json");
  await download.saveAs(file);
  const archive = JSON.parse(readFileSync(file, "utf8"));
  expect(archive).toMatchObject({
    format: "accord-personal-data",
    account: { id: user.id, email: user.email },
    versionsAccepted: [{ versionNumber: 1 }],
    consentEventCount: 1,
  });
  expect(archive.consentEvents[0].receipt.evidence.hash).toBe(archive.consentEvents[0].hash);
  const api = await page.request.get("/api/v1/me/data");
  expect(api.status()).toBe(200);
  expect((await api.json()).account.email).toBe(user.email);

  await page.getByRole("link", { name: "Open as a readable page" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your data" })).toBeVisible();
  await expect(page.getByRole("cell", { name: user.email })).toBeVisible();
  await snap(page, "account-data-page");
  await expectAccessible(page);

  // Deregister: the statement, the password again, and a confirmation.
  await page.goto("/account");
  await page
    .getByRole("navigation", { name: "Account" })
    .getByRole("link", { name: "Close account" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Close your account" })).toBeVisible();
  await expect(page.getByText("Your account closes at once")).toBeVisible();
  const form = page.getByRole("form", { name: "Close the account" });
  await form.getByLabel("Your password").fill("not my password");
  await form.getByRole("button", { name: "Close my account" }).click();
  await expect(form.getByText("Confirm that you have read what happens.")).toBeVisible();
  await form.getByLabel("I have read what happens").check();
  await form.getByRole("button", { name: "Close my account" }).click();
  await expect(form.getByText("That password is not right.")).toBeVisible();
  await expect(form.getByLabel("I have read what happens")).toBeChecked();
  await snap(page, "deregister-error");
  await expectAccessible(page);
  await form.getByLabel("Your password").fill(user.password);
  await form.getByRole("button", { name: "Close my account" }).click();
  await expect(page.getByTestId("account-closed")).toContainText("Your account is closed");
  await snap(page, "deregister-closed");

  // Signed out everywhere, and sign-in is refused.
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);

  // The confirmation email, with the way back during the grace period.
  await deliverMail(smtp, baseURL!);
  const [closedMail] = smtp.to(user.email).filter((m) => m.subject === "Your account is closed");
  expect(appLinks(closedMail?.text, baseURL!)).toContain(`${baseURL}/account/deregister/cancel`);

  // The admin sees the closure on the desk, and puts another closed account on hold.
  const held = await makeUser({ accepted: true });
  const heldClosure = await deregister(
    { actor: { id: held.id, email: held.email, role: "USER" }, meta: { ipTruncated: null, userAgent: null } },
    { password: held.password, confirm: "on" },
  );
  expect(heldClosure.ok).toBe(true);
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  const adminUser = await makeUser({ role: "ADMIN" });
  await signIn(admin, adminUser);
  await admin.goto("/admin/requests?view=open&type=CLOSURE");
  const closureRow = admin.getByRole("row").filter({ hasText: user.email });
  await expect(closureRow).toContainText("Close my account");
  await expect(closureRow).toContainText("account closed");
  await admin.goto("/admin/holds");
  const holdForm = admin.getByRole("form", { name: "Place a hold" });
  await holdForm.getByLabel("Subject").fill(held.email);
  await holdForm.getByLabel("A court decision").check();
  await holdForm.getByLabel("The case").fill("Court file (2026) Hu 0101 Min Chu 4711");
  await holdForm.getByRole("button", { name: "Place hold" }).click();
  await expect(holdForm.getByText("Hold placed.")).toBeVisible();
  await expect(admin.getByTestId("holds-table")).toContainText(held.email);
  await snap(admin, "admin-holds");
  await expectAccessible(admin);

  // Past the grace period: erased, the closure completes; the held account is untouched.
  const { rows: before } = await db.query<{ deregistered_at: Date }>(
    `SELECT deregistered_at FROM users WHERE id = $1`,
    [user.id],
  );
  const closedAt = before[0]!.deregistered_at.getTime();
  const afterGrace = closedAt + 16 * DAY - Date.now();
  clock.set(afterGrace);
  const erased = await runRetention({ at: new Date(Date.now() + afterGrace) });
  expect(erased.counts.accountsErased).toBeGreaterThanOrEqual(1);
  // Sessions last at most 12 hours: after the jump the admin signs in again.
  await signIn(admin, adminUser);
  await admin.goto("/admin/requests?view=closed&type=CLOSURE");
  await expect(
    admin.getByRole("row").filter({ hasText: `Erased account ${user.id.slice(0, 8)}` }),
  ).toContainText("Answered");
  await admin.goto("/admin/retention");
  await expect(admin.getByTestId("purges")).toContainText("accounts erased");
  await snap(admin, "admin-retention");

  // Past the evidence period: the events are pruned to their hashes.
  const afterEvidence = closedAt + 1100 * DAY - Date.now();
  clock.set(afterEvidence);
  const pruned = await runRetention({ at: new Date(Date.now() + afterEvidence) });
  expect(pruned.counts.consentEventsPruned).toBeGreaterThanOrEqual(1);
  expect(await columnsContaining(db, user.email)).toEqual([]);
  const { rows: events } = await db.query<{ pruned_at: Date | null; user_agent: string | null }>(
    `SELECT pruned_at, user_agent FROM consent_events WHERE subject_id = $1`,
    [user.id],
  );
  expect(events.length).toBeGreaterThan(0);
  expect(events.every((e) => e.pruned_at !== null && e.user_agent === null)).toBe(true);

  // The subject on hold keeps everything.
  expect(await columnsContaining(db, held.email)).toContain("users.email");
  const { rows: heldEvents } = await db.query<{ pruned_at: Date | null }>(
    `SELECT pruned_at FROM consent_events WHERE subject_id = $1`,
    [held.id],
  );
  expect(heldEvents.length).toBeGreaterThan(0);
  expect(heldEvents.every((e) => e.pruned_at === null)).toBe(true);

  // ledger:verify and an auditor's export still pass, reporting the pruned events.
  const verify = spawn("npx", ["tsx", "--conditions=react-server", "scripts/ledger-verify.ts"], {
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let verifyOut = "";
  verify.stdout.on("data", (chunk: Buffer) => (verifyOut += chunk.toString()));
  verify.stderr.on("data", (chunk: Buffer) => (verifyOut += chunk.toString()));
  expect(await new Promise((resolve) => verify.once("exit", resolve)), verifyOut).toBe(0);
  expect(Number(/\((\d+) pruned\)/.exec(verifyOut)?.[1])).toBeGreaterThanOrEqual(events.length);
  await signIn(admin, adminUser);
  const exported = await admin.request.get("/api/v1/audit/exports?format=ndjson");
  expect(exported.status()).toBe(200);
  const exportFile = test.info().outputPath("all.ndjson");
  writeFileSync(exportFile, await exported.body());
  const report = await verifyExportFile(exportFile);
  expect(report.problems).toEqual([]);
  expect(report.pruned).toBeGreaterThanOrEqual(events.length);
  await adminContext.close();
});

test("a closed account can be restored during its grace period", async ({
  page,
  signInAs,
  snap,
  expectAccessible,
}) => {
  const user = await signInAs(page, { accepted: true });
  await page.goto("/account/deregister");
  const form = page.getByRole("form", { name: "Close the account" });
  await form.getByLabel("Your password").fill(user.password);
  await form.getByLabel("I have read what happens").check();
  await form.getByRole("button", { name: "Close my account" }).click();
  await page.getByRole("link", { name: "Changed your mind? Restore your account" }).click();
  const restore = page.getByRole("form", { name: "Restore your account" });
  await restore.getByLabel("Email").fill(user.email);
  await restore.getByLabel("Password").fill("wrong password");
  await restore.getByRole("button", { name: "Restore my account" }).click();
  await expect(restore.getByRole("alert")).toContainText("We could not restore an account");
  await expect(restore.getByLabel("Email")).toHaveValue(user.email);
  await snap(page, "deregister-restore");
  await expectAccessible(page);
  await restore.getByLabel("Password").fill(user.password);
  await restore.getByRole("button", { name: "Restore my account" }).click();
  await expect(page.getByRole("status")).toContainText("Your account is open again");
  await page.getByRole("link", { name: "Sign in" }).last().click();
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.email);
});

// Mutations, not only pages: each rights action is invoked as each role the
// way a browser would (POST with its Next-Action id from the build's
// server-reference manifest, Origin set), and the database says whether it
// took effect. The wrapper must refuse before the body runs.
function actionId(filename: string, exportedName: string): string {
  const dist = process.env.NEXT_DIST_DIR ?? ".next-e2e";
  const manifest = JSON.parse(readFileSync(`${dist}/server/server-reference-manifest.json`, "utf8")) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(
    ([, entry]) => entry.filename === filename && entry.exportedName === exportedName,
  );
  if (!found) throw new Error(`no server action ${exportedName} in ${filename}`);
  return found[0];
}

for (const role of ["anonymous", "USER", "ADMIN", "AUDITOR"] as const) {
  test(`rights mutations as ${role}`, async ({ page, baseURL, makeUser, signIn, db }) => {
    const subject = await makeUser({ accepted: true });
    const opened = await openRightsRequest(
      { actor: subject, meta: { ipTruncated: null, userAgent: "e2e" } },
      { type: "QUESTION", message: "Which data do you hold about me?" },
    );
    if (!opened.ok) throw new Error(opened.message);
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM rights_requests WHERE reference = $1`, [
      opened.data.reference,
    ]);
    const requestId = rows[0]!.id;
    const { rows: holds } = await db.query<{ id: string }>(
      `INSERT INTO legal_holds (id, subject_id, basis, reason, placed_at, placed_by_id)
       VALUES (gen_random_uuid(), $1, 'LAW', 'e2e hold to release', now(), $1) RETURNING id::text`,
      [subject.id],
    );
    const holdId = holds[0]!.id;
    const me = role === "anonymous" ? null : await makeUser({ role });
    if (me) await signIn(page, me);

    const call = async (path: string, file: string, name: string, input: Record<string, string>) =>
      page.request.post(path, {
        headers: {
          "Next-Action": actionId(file, name),
          "Content-Type": "text/plain;charset=UTF-8",
          Origin: baseURL!,
          Accept: "text/x-component",
        },
        data: JSON.stringify([null, input]),
        maxRedirects: 0,
      });
    const count = async (sql: string, values: unknown[]) =>
      Number((await db.query<{ n: string }>(sql, values)).rows[0]?.n ?? 0);
    const marker = `e2e-${role}-${Date.now()}`;

    const cases: { name: string; allowed: boolean; run(): Promise<unknown>; effect(): Promise<boolean> }[] = [
      {
        name: "place a legal hold",
        allowed: role === "ADMIN",
        run: () =>
          call("/admin/holds", "app/admin/holds/actions.ts", "placeHoldAction", {
            subject: subject.email,
            basis: "COURT",
            reason: `Case ${marker}`,
          }),
        effect: async () =>
          (await count(`SELECT count(*) AS n FROM legal_holds WHERE reason = $1`, [`Case ${marker}`])) > 0,
      },
      {
        name: "release a legal hold",
        allowed: role === "ADMIN",
        run: () => call("/admin/holds", "app/admin/holds/actions.ts", "releaseHoldAction", { holdId }),
        effect: async () =>
          (await count(`SELECT count(*) AS n FROM legal_holds WHERE id = $1 AND released_at IS NOT NULL`, [
            holdId,
          ])) > 0,
      },
      {
        name: "note on a request",
        allowed: role === "ADMIN",
        run: () =>
          call(`/admin/requests/${requestId}`, "app/admin/requests/actions.ts", "addRequestNoteAction", {
            requestId,
            body: `Note ${marker}`,
          }),
        effect: async () =>
          (await count(`SELECT count(*) AS n FROM rights_request_notes WHERE body = $1`, [
            `Note ${marker}`,
          ])) > 0,
      },
      {
        name: "start a request",
        allowed: role === "ADMIN",
        run: () =>
          call(`/admin/requests/${requestId}`, "app/admin/requests/actions.ts", "startRequestAction", {
            requestId,
          }),
        effect: async () =>
          (await count(`SELECT count(*) AS n FROM rights_requests WHERE id = $1 AND status = 'IN_PROGRESS'`, [
            requestId,
          ])) > 0,
      },
      {
        name: "save the retention policy",
        allowed: role === "ADMIN",
        run: () =>
          call("/admin/retention", "app/admin/retention/actions.ts", "updateRightsPolicyAction", {
            requestDeadlineDays: "15",
            deregistrationGraceDays: "15",
            consentEvidenceDays: "1095",
            sentMailDays: "90",
            rateLimitDays: "1",
            auditLogDays: "1095",
          }),
        effect: async () =>
          me !== null &&
          (await count(
            `SELECT count(*) AS n FROM audit_log WHERE action = 'settings.rights.updated' AND actor_id = $1`,
            [me.id],
          )) > 0,
      },
      // Last: it ends the session it runs in.
      {
        name: "close one's own account",
        allowed: role === "USER",
        run: () =>
          call("/account/deregister", "app/(account)/account/deregister/actions.ts", "deregisterAction", {
            password: me?.password ?? subject.password,
            confirm: "on",
          }),
        effect: async () =>
          (await count(`SELECT count(*) AS n FROM users WHERE id = $1 AND deregistered_at IS NOT NULL`, [
            me?.id ?? subject.id,
          ])) > 0,
      },
    ];
    const mismatches: string[] = [];
    for (const c of cases) {
      const response = (await c.run()) as { status(): number };
      if (response.status() >= 500) mismatches.push(`${c.name}: HTTP ${response.status()}`);
      const took = await c.effect();
      if (took !== c.allowed) mismatches.push(`${c.name}: ${c.allowed ? "refused" : "took effect"}`);
    }
    expect(mismatches).toEqual([]);
  });
}
