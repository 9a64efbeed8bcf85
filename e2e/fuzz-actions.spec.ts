// Issue 9, "Must hold": property-based fuzzing of every server action's input.
// Every server action in the build (Next's server-reference manifest, as in
// authz-mutations.spec.ts) is called by a signed-in ADMIN, who may use nearly
// all of them, with generated arguments: wrong types, unknown and missing
// fields, NUL bytes, huge and hostile strings, made-up ids. Properties: no
// answer is a 500; every answer is the action's own Result (or a redirect);
// and an action whose answers were all refusals wrote nothing.
// FUZZ_ACTION_RUNS sets the payloads per action (30 in `npm test`; the
// benchmark-style run uses 10,000).
import fc from "fast-check";
import { test, expect } from "./fixtures";
import { WRITTEN_TABLES } from "@/tests/security/fuzz-cases";
import { actionArgument, serverActions } from "@/tests/security/action-fuzz-cases";

const RUNS = Number(process.env.FUZZ_ACTION_RUNS ?? 30);

test("every server action answers generated input without a 500, and refused input writes nothing", async ({
  page,
  signInAs,
  db,
  baseURL,
}) => {
  test.setTimeout(Math.max(600_000, RUNS * 2_000 * 60));
  await signInAs(page, { role: "ADMIN", accepted: true });
  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        WRITTEN_TABLES.map(async (t) => {
          const exists = await db.query("SELECT to_regclass($1) AS t", [t]);
          if (!exists.rows[0].t) return [t, 0] as const;
          return [t, Number((await db.query(`SELECT count(*) AS n FROM "${t}"`)).rows[0].n)] as const;
        }),
      ),
    );
  const started = new Date();
  const failures: string[] = [];
  let calls = 0;
  for (const action of serverActions(process.env.NEXT_DIST_DIR ?? ".next-e2e")) {
    const before = await counts();
    let allRefused = true;
    for (const input of fc.sample(actionArgument, { numRuns: RUNS, seed: 9 })) {
      calls++;
      const response = await page.request.post(action.page, {
        headers: {
          "next-action": action.id,
          accept: "text/x-component",
          "content-type": "text/plain;charset=UTF-8",
          origin: baseURL as string,
        },
        data: JSON.stringify(["$undefined", input]),
        maxRedirects: 0,
        failOnStatusCode: false,
      });
      const text = await response.text();
      if (response.status() >= 500) {
        failures.push(`${action.name}: HTTP ${response.status()} for ${JSON.stringify(input).slice(0, 120)}`);
        break;
      }
      if (!/"ok":false/.test(text)) allRefused = false;
    }
    if (allRefused) {
      const after = await counts();
      if (JSON.stringify(after) !== JSON.stringify(before))
        failures.push(`${action.name}: refused every input but wrote ${JSON.stringify({ before, after })}`);
    }
  }
  // Actions that take no input (a new draft) succeed whatever they are sent: drop
  // the drafts they made, so later specs find the versions as they left them.
  await db.query(`DELETE FROM agreement_versions WHERE published_at IS NULL AND created_at >= $1`, [started]);
  expect(failures).toEqual([]);
  expect(calls).toBeGreaterThan(RUNS * 10);
});
