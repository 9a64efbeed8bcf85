// Ask Accord before you use a user's data: read their consent, and record a
// decision they made in your own app. Uses the typed client (client.ts).
//
//   ACCORD_URL=http://localhost:3000 ACCORD_API_KEY=acc_… npx tsx examples/api/status.ts user-8731
//
// The key needs status:read (and consent:write for the recording part):
//   npm run apikey:create -- --name "IM backend" --scope status:read --scope consent:write
import { randomUUID } from "node:crypto";
import { AccordApiError, accordClient } from "./client";

const baseUrl = process.env.ACCORD_URL ?? "http://localhost:3000";
const apiKey = process.env.ACCORD_API_KEY;
const subjectId = process.argv[2] ?? "user-8731";
if (!apiKey) throw new Error("Set ACCORD_API_KEY (npm run apikey:create).");

const accord = accordClient(baseUrl, apiKey);

// 1. Before personalising: may we?
const status = await accord.status(subjectId);
const may = (purpose: string) => status.purposes.find((p) => p.key === purpose)?.granted ?? false;
console.log(
  `${subjectId}: known=${status.known}, accepted version ${status.agreement.acceptedVersion ?? "none"}`,
);
console.log(`  personalisation allowed: ${may("personalisation")}`);
if (status.agreement.reconsent === "required")
  console.log(`  ask them to accept version ${status.agreement.reconsentVersion} first`);

// 2. The user accepted the agreement in your app: record it, with what you know.
//    The Idempotency-Key makes a retry safe: keep it with the decision until Accord answered.
const current = await accord.currentVersion();
try {
  const accepted = await accord.record(
    subjectId,
    {
      decision: "accept-agreement",
      versionNumber: current.number,
      noticeSha256: current.bodySha256,
      evidence: { ipAddress: "203.0.113.7", userAgent: "IMApp/7.2 (iOS 19.1)", locale: "en" },
    },
    randomUUID(),
  );
  console.log(
    `  recorded ${accepted.event.action} as event ${accepted.event.seq} (replayed: ${accepted.replayed})`,
  );

  // 3. And that they switched personalised recommendations on.
  const granted = await accord.record(
    subjectId,
    { decision: "grant", purposeKey: "personalisation", evidence: { userAgent: "IMApp/7.2 (iOS 19.1)" } },
    randomUUID(),
  );
  console.log(`  recorded ${granted.event.action} ${granted.event.purposeKey}`);
} catch (error) {
  if (error instanceof AccordApiError) console.error(`  refused: ${error.message}`);
  else throw error;
}

// 4. Many users at once (up to 1,000), e.g. before a campaign.
const many = await accord.batchStatus([subjectId, "someone-else"]);
for (const one of many)
  console.log(`  ${one.subjectId}: surveys ${one.purposes.find((p) => p.key === "surveys")?.consent}`);
