// Bench-only baseline for bench/consent-append.ts (issue 10: the consent
// route may lose at most 5 % of its throughput against the format 1 append).
// The consent route's POST (app/api/v1/me/consent/route.ts) line for line —
// session, body schema, Idempotency-Key, rate limit, GPC, the purpose checks,
// the response — with one difference: the event is appended as format 1 did
// it (lib/consent/bench-format1-append.ts: no log signature, no signature
// columns), into copies of the ledger tables that bench makes. The
// `.test-build.ts` name makes it a route only in builds made with
// ACCORD_TEST_BUILD=1 (next.config.ts pageExtensions): a production build does
// not compile it (tests/build/production-build.int.test.ts checks).
//   POST /api/test/bench-consent-format1   {purposeKey, action, versionNumber?, noticeSha256?}
import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { withRoute, failureResponse } from "@/lib/http/route";
import { invalidInput } from "@/lib/auth/action";
import { changePurposeConsent } from "@/lib/consent/change-purpose";
import { applyGpcSignal } from "@/lib/consent/gpc";
import { consentChangeBodySchema, idempotencyKeyHeaderSchema } from "@/lib/consent/schemas";
import { consumeConsentWrite } from "@/lib/auth/rate-limit";
import { benchFormat1Append } from "@/lib/consent/bench-format1-append";

export const POST = withRoute(
  { access: "signed-in", body: consentChangeBodySchema },
  async ({ actor, meta, body, request }) => {
    const header = request.headers.get("idempotency-key");
    let idempotencyKey = `api:${randomUUID()}`;
    if (header !== null) {
      const parsed = idempotencyKeyHeaderSchema.safeParse(header);
      if (!parsed.success) return failureResponse(invalidInput(parsed.error));
      idempotencyKey = `api:${parsed.data}`;
    }
    const limited = await consumeConsentWrite(actor.id);
    if (limited) return failureResponse(limited, { "Retry-After": String(limited.retryAfterSeconds) });
    await applyGpcSignal(actor.id, meta);
    const result = await changePurposeConsent(
      { ...body, subjectId: actor.id, method: "API", meta, idempotencyKey },
      benchFormat1Append,
    );
    if (!result.ok) return result;
    const { replayed, ...change } = result.data;
    return NextResponse.json(change, { headers: { "Idempotent-Replayed": String(replayed) } });
  },
);
