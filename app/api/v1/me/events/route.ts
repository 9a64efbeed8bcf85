// GET /api/v1/me/events?before=<seq> — the signed-in user's consent history, newest first.
import { z } from "zod";
import { withRoute } from "@/lib/http/route";
import { digitsInt } from "@/lib/http/query-params";
import { applyGpcSignal } from "@/lib/consent/gpc";
import { listConsentEvents } from "@/lib/consent/history";
import { ok } from "@/lib/result";

const querySchema = z.strictObject({
  before: digitsInt("Expected a sequence number.", z.int().positive()).optional(),
});

export const GET = withRoute({ access: "signed-in", query: querySchema }, async ({ actor, meta, query }) => {
  await applyGpcSignal(actor.id, meta);
  const { events, nextBefore } = await listConsentEvents(actor.id, { before: query.before });
  return ok({
    events: events.map((event) => ({ ...event, receiptUrl: `/api/v1/me/receipts/${event.id}` })),
    nextBefore,
  });
});
