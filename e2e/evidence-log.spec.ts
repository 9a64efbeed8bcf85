import { readFileSync } from "node:fs";
import { test, expect } from "./fixtures";
import { leafHash, verifyInclusion } from "@/lib/ledger/merkle";
import { openNote, parseVerifierKey } from "@/lib/ledger/note";
import { parseCheckpointText } from "@/lib/ledger/tlog-checkpoint";
import { pruneConsentEvidence } from "@/lib/ledger/prune";

// The auditor's evidence page shows the event in the signed log (format 2):
// tree size, root, the log's signature, cosignatures and the inclusion
// proof, with how to check them; and a pruned event says "pruned" to its
// subject (history, receipt) and to the auditor (explorer, evidence page),
// while its leaf still proves it.

test("the evidence page shows the signed checkpoint over an event and its inclusion proof", async ({
  page,
  request,
  signInAs,
  snap,
  expectAccessible,
}) => {
  await signInAs(page, { accepted: true });
  const events = await (await page.request.get("/api/v1/me/events")).json();
  const eventId: string = events.events[0].id;

  await page.context().clearCookies();
  await signInAs(page, { role: "AUDITOR" });
  await page.goto(`/audit/events/${eventId}`);
  await expect(page.getByRole("heading", { level: 1, name: "Consent event evidence" })).toBeVisible();
  await expect(page.getByTestId("evidence-checks")).toContainText(
    "In the signed log: the inclusion proof leads from the stored hash to a signed checkpoint✓ Yes",
  );
  const section = page.getByRole("region", { name: "Transparency log" });
  await expect(section).toContainText(/This event is leaf \d+ of the tree of \d+ leaves/);
  await expect(section).toContainText("Verified with the log's public key");
  await expect(section).toContainText("The proof leads from this event's stored hash to the signed root");
  await expect(page.getByTestId("evidence-verify-steps").getByRole("listitem")).toHaveCount(5);

  // What the page shows agrees with the log's public key and endpoints.
  const described = await (await request.get("/.well-known/accord-log.json")).json();
  const note = (await page.getByTestId("evidence-checkpoint-note").textContent()) ?? "";
  const checkpoint = parseCheckpointText(openNote(note, parseVerifierKey(described.verifierKey)).text);
  const fields = page.getByTestId("evidence-log-fields");
  await expect(fields).toContainText(checkpoint.root.toString("hex"));
  const proofLink = page.getByRole("link", { name: "This inclusion proof as JSON" });
  const inclusion = await (await request.get((await proofLink.getAttribute("href")) ?? "")).json();
  expect(inclusion.treeSize).toBe(checkpoint.size);
  expect(
    verifyInclusion(
      inclusion.leafIndex,
      checkpoint.size,
      leafHash(Buffer.from(inclusion.eventHash, "hex")),
      inclusion.proof.map((hash: string) => Buffer.from(hash, "base64")),
      checkpoint.root,
    ),
  ).toBe(true);
  await expect(fields).toContainText(leafHash(Buffer.from(inclusion.eventHash, "hex")).toString("hex"));
  await snap(page, "audit-evidence-log");
  await expectAccessible(page);
});

test("a pruned event says pruned in the history, the receipt, the explorer and the evidence page", async ({
  page,
  request,
  signInAs,
  snap,
  expectAccessible,
}) => {
  const user = await signInAs(page, { accepted: true });
  const events = await (await page.request.get("/api/v1/me/events")).json();
  const eventId: string = events.events[0].id;
  const pruned = await pruneConsentEvidence({ eventIds: [eventId] });
  expect(pruned.pruned).toEqual([eventId]);

  // The subject: history says pruned, and the receipt still downloads, says pruned and proves the event.
  await page.goto("/account/history");
  const row = page.locator(`[data-event-id="${eventId}"]`);
  await expect(row.getByTestId("history-pruned")).toContainText("Pruned");
  const downloading = page.waitForEvent("download");
  await row.getByRole("link", { name: /Download the receipt/ }).click();
  const receipt = JSON.parse(readFileSync((await (await downloading).path())!, "utf8"));
  expect(receipt.evidence).toMatchObject({ status: "pruned", ipTruncated: null, userAgent: null });
  expect(receipt.evidence.prunedAt).toEqual(expect.any(String));
  const described = await (await request.get("/.well-known/accord-log.json")).json();
  const issued = parseCheckpointText(
    openNote(receipt.log.checkpoint, parseVerifierKey(described.verifierKey)).text,
  );
  expect(
    verifyInclusion(
      receipt.log.leafIndex,
      issued.size,
      leafHash(Buffer.from(receipt.evidence.hash, "hex")),
      receipt.log.proof.map((hash: string) => Buffer.from(hash, "base64")),
      issued.root,
    ),
  ).toBe(true);
  await snap(page, "history-pruned");
  await expectAccessible(page);

  // The auditor: the explorer marks it, the evidence page says pruned and the log check still holds.
  await page.context().clearCookies();
  await signInAs(page, { role: "AUDITOR" });
  await page.goto(`/audit?user=${user.id}`);
  await expect(page.getByTestId("event-row").getByTestId("event-pruned")).toHaveText("Pruned");
  await page.goto(`/audit/events/${eventId}`);
  await expect(page.getByTestId("evidence-pruned")).toContainText("Pruned");
  const checks = page.getByTestId("evidence-checks");
  await expect(checks).toContainText("Pruned: personal fields removed, hash as stored");
  await expect(checks).toContainText(
    "In the signed log: the inclusion proof leads from the stored hash to a signed checkpoint✓ Yes",
  );
  await expect(page.getByTestId("evidence-problems")).toHaveCount(0);
  await snap(page, "audit-evidence-pruned");
  await expectAccessible(page);
});
