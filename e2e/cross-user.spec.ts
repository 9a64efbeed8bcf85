// One user must never read or change another's consent: by URL or by API.
import { test, expect } from "./fixtures";

test("another user's history, state and receipts are unreachable", async ({
  browser,
  makeUser,
  signIn,
  db,
}) => {
  const alice = await makeUser({ accepted: true });
  const bob = await makeUser({ accepted: true });

  const aliceContext = await browser.newContext();
  const alicePage = await aliceContext.newPage();
  await signIn(alicePage, alice);
  const granted = await alicePage.request.post("/api/v1/me/consent", {
    data: { purposeKey: "precise-location", action: "grant" },
  });
  expect(granted.status()).toBe(200);
  const aliceEventIds: string[] = (
    await db.query("SELECT id::text FROM consent_events WHERE subject_id = $1", [alice.id])
  ).rows.map((row: { id: string }) => row.id);
  expect(aliceEventIds).toHaveLength(2);
  expect((await alicePage.request.get(`/api/v1/me/receipts/${aliceEventIds[0]}`)).status()).toBe(200);
  await aliceContext.close();

  const bobContext = await browser.newContext();
  const page = await bobContext.newPage();
  await signIn(page, bob);

  // Receipts: by API and by the URL a browser would open.
  for (const id of aliceEventIds) {
    const response = await page.request.get(`/api/v1/me/receipts/${id}`);
    expect(response.status()).toBe(404);
    expect(await response.text()).not.toContain(alice.id);
    const navigation = await page.goto(`/api/v1/me/receipts/${id}`);
    expect(navigation?.status()).toBe(404);
  }
  expect((await page.request.get("/api/v1/me/receipts/not-a-uuid")).status()).toBe(404);

  // History page: no query parameter selects another subject.
  await page.goto(`/account/history?subject=${alice.id}&subjectId=${alice.id}&user=${alice.id}`);
  await expect(page.getByTestId("history-row")).toHaveCount(1);
  for (const id of aliceEventIds) await expect(page.locator(`[data-event-id="${id}"]`)).toHaveCount(0);

  // State and history by API: Bob's own, and unknown parameters are refused rather than obeyed.
  const state = await (await page.request.get(`/api/v1/me/consent?subjectId=${alice.id}`)).json();
  expect(state.purposes.find((p: { key: string }) => p.key === "precise-location").granted).toBe(false);
  expect((await page.request.get(`/api/v1/me/events?subjectId=${alice.id}`)).status()).toBe(400);
  const events = await (await page.request.get("/api/v1/me/events")).json();
  expect(
    events.events.map((e: { id: string }) => e.id).some((id: string) => aliceEventIds.includes(id)),
  ).toBe(false);

  // Changing Alice's consent: a subject in the body is refused, and nothing of hers changes.
  const attempt = await page.request.post("/api/v1/me/consent", {
    data: { purposeKey: "precise-location", action: "withdraw", subjectId: alice.id },
  });
  expect(attempt.status()).toBe(400);
  const aliceState = await db.query(
    "SELECT granted FROM consent_states WHERE subject_id = $1 AND purpose_key = 'precise-location'",
    [alice.id],
  );
  expect(aliceState.rows).toEqual([{ granted: true }]);
  await bobContext.close();
});
