import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPublicKey } from "node:crypto";
import { test, expect } from "./fixtures";
import { leafHash, verifyConsistency, verifyInclusion } from "@/lib/ledger/merkle";
import { openNote, parseVerifierKey } from "@/lib/ledger/note";
import { parseCheckpointText } from "@/lib/ledger/tlog-checkpoint";
import { verifyReceiptSignature } from "@/lib/ledger/receipt-jws";
import { addWitness } from "@/lib/ledger/log/public-log";

// A holder of evidence, end to end: a user downloads a receipt, the log grows,
// and later the log's public endpoints still prove the event is in it.
test("a downloaded receipt stays provable after the log grows", async ({
  page,
  request,
  signIn,
  signInAs,
  makeUser,
}) => {
  await signInAs(page, { accepted: true });
  await page.goto("/account/consent");
  const surveys = page.getByRole("switch", { name: "Surveys" });
  await surveys.click();
  await expect(surveys).toHaveAttribute("aria-checked", "true");

  await page.goto("/account/history");
  const row = page.getByTestId("history-row").nth(0);
  const eventId = await row.getAttribute("data-event-id");
  const downloading = page.waitForEvent("download");
  await row.getByRole("link", { name: /Download the receipt/ }).click();
  const receipt = JSON.parse(readFileSync((await (await downloading).path())!, "utf8"));

  // The log's published key checks the receipt's JWS and its checkpoint.
  const described = await (await request.get("/.well-known/accord-log.json")).json();
  const logKey = parseVerifierKey(described.verifierKey);
  const jwk = described.jwks.keys.find((key: { kid: string }) => key.kid === logKey.keyId);
  expect(await verifyReceiptSignature(receipt, createPublicKey({ key: jwk, format: "jwk" }))).toBe(
    logKey.keyId,
  );
  const issued = parseCheckpointText(openNote(receipt.log.checkpoint, logKey).text);
  const leaf = leafHash(Buffer.from(receipt.evidence.hash, "hex"));
  const proof = (hashes: string[]) => hashes.map((hash) => Buffer.from(hash, "base64"));
  expect(receipt.consentReceiptID).toBe(eventId);
  expect(
    verifyInclusion(receipt.log.leafIndex, issued.size, leaf, proof(receipt.log.proof), issued.root),
  ).toBe(true);

  // The log grows: other users consent, and the next receipt makes the log sign again.
  const others = await Promise.all([makeUser({ accepted: true }), makeUser({ accepted: true })]);
  const other = others[0]!;
  await page.context().clearCookies();
  await signIn(page, other);
  const { id: otherEvent } = (await page.request.get(`/api/v1/me/events`).then((response) => response.json()))
    .events[0];
  expect((await page.request.get(`/api/v1/me/receipts/${otherEvent}`)).ok()).toBe(true);

  const latestNote = await (await request.get("/api/v1/log/checkpoint")).text();
  const latest = parseCheckpointText(openNote(latestNote, logKey).text);
  expect(latest.size).toBeGreaterThan(issued.size);

  // Consistency: today's tree extends the one the receipt was issued against...
  const consistency = await (
    await request.get(`/api/v1/log/consistency?from=${issued.size}&to=${latest.size}`)
  ).json();
  expect(
    verifyConsistency(issued.size, latest.size, issued.root, latest.root, proof(consistency.proof)),
  ).toBe(true);
  // ...so the event is still in it, under the same hash.
  const inclusion = await (await request.get(`/api/v1/log/inclusion?event=${eventId}`)).json();
  expect(inclusion).toMatchObject({ eventHash: receipt.evidence.hash, leafIndex: receipt.log.leafIndex });
  expect(verifyInclusion(inclusion.leafIndex, latest.size, leaf, proof(inclusion.proof), latest.root)).toBe(
    true,
  );
});

test("a witness cosigns the log over HTTP, and the audit area shows which size it has seen", async ({
  page,
  request,
  signInAs,
  snap,
  expectAccessible,
}) => {
  const state = mkdtempSync(path.join(tmpdir(), "accord-e2e-witness-"));
  const base = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;
  const witness = () =>
    spawnSync("npx", ["tsx", "scripts/witness.ts", base, "--state", state, "--name", "witness.e2e.test/w1"], {
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" },
    });
  // Make sure the log has signed something, then witness it: not registered yet.
  const user = await signInAs(page, { accepted: true });
  const events = await (await page.request.get("/api/v1/me/events")).json();
  expect((await page.request.get(`/api/v1/me/receipts/${events.events[0].id}`)).ok()).toBe(true);
  const first = witness();
  expect(first.status, first.stderr).toBe(0);
  expect(first.stdout).toContain("ask its operator to register this witness");
  const verifierKey = first.stdout.trim().split("\n").at(-1)!.trim();
  expect((await addWitness(verifierKey, user.id)).ok).toBe(true);

  const second = witness();
  expect(second.status, second.stderr).toBe(0);
  expect(second.stdout).toMatch(/witnessed .* tree size \d+/);
  expect(second.stdout).not.toContain("register");
  const note = await (await request.get("/api/v1/log/checkpoint")).text();
  expect(note).toContain("\u2014 witness.e2e.test/w1 ");
  const size = parseCheckpointText(note.slice(0, note.lastIndexOf("\n\n") + 1)).size;

  await page.context().clearCookies();
  await signInAs(page, { role: "AUDITOR" });
  await page.goto("/audit/log");
  await expect(page.getByRole("heading", { level: 1, name: "Transparency log" })).toBeVisible();
  await expect(page.getByTestId("log-checkpoint")).toContainText(String(size));
  const row = page.getByTestId("log-witnesses").getByRole("row", { name: /witness\.e2e\.test\/w1/ });
  await expect(row).toContainText(new Intl.NumberFormat("en").format(size));
  await snap(page, "audit-log");
  await expectAccessible(page);
});
