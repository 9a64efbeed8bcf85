// The signed-in user's consent, as JSON (docs/ledger.md, "API"). `npm start`
// answers GET in the custom server (lib/server/fast-paths/service-me-consent.ts).
//   GET  → every purpose of the accepted version with its effective state
//   POST {purposeKey, action: "grant"|"withdraw", versionNumber?, noticeSha256?}
//        with an optional Idempotency-Key header: the same key returns the
//        first response and records nothing new.
import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { withRoute, failureResponse } from "@/lib/http/route";
import { invalidInput } from "@/lib/auth/action";
import { changePurposeConsent } from "@/lib/consent/change-purpose";
import { applyGpcSignal } from "@/lib/consent/gpc";
import { getPreferences } from "@/lib/consent/preferences";
import { myConsentAnswer } from "@/lib/service-api/my-consent";
import { consentChangeBodySchema, idempotencyKeyHeaderSchema } from "@/lib/consent/schemas";
import { ok } from "@/lib/result";
import { consumeConsentWrite } from "@/lib/auth/rate-limit";

export const GET = withRoute({ access: "signed-in" }, async ({ actor, meta }) => {
  await applyGpcSignal(actor.id, meta);
  return ok(myConsentAnswer(await getPreferences(actor.id), meta.gpc));
});

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
    const result = await changePurposeConsent({
      ...body,
      subjectId: actor.id,
      method: "API",
      meta,
      idempotencyKey,
    });
    if (!result.ok) return result;
    const { replayed, ...change } = result.data;
    return NextResponse.json(change, { headers: { "Idempotent-Replayed": String(replayed) } });
  },
);
