// GET /api/v1/me/receipts/{eventId} — the consent receipt (JSON) of one of
// the signed-in user's events. Another user's event is simply not found.
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route";
import { getConsentReceipt } from "@/lib/consent/get-receipt";
import { eventIdSchema } from "@/lib/consent/schemas";
import { fail } from "@/lib/result";

const notFound = () => fail(404, "not_found", "No such consent event.");

export const GET = withRoute<never, never, { eventId: string }>(
  { access: "signed-in" },
  async ({ actor, params }) => {
    const eventId = eventIdSchema.safeParse(params.eventId);
    if (!eventId.success) return notFound();
    const receipt = await getConsentReceipt(actor.id, eventId.data);
    if (!receipt) return notFound();
    return new NextResponse(`${JSON.stringify(receipt, null, 2)}\n`, {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="consent-receipt-${eventId.data}.json"`,
        "Cache-Control": "private, no-store",
      },
    });
  },
);
