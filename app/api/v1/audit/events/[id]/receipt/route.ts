import { NextResponse } from "next/server";
import { AUDIT_ROLES } from "@/lib/auth/actor";
import { withRoute } from "@/lib/http/route";
import { getEventEvidence } from "@/lib/audit/evidence";
import { fail } from "@/lib/result";

/** The consent receipt of any event, as its subject would download it. */
export const GET = withRoute<never, never, { id: string }>({ access: AUDIT_ROLES }, async ({ params }) => {
  const receipt = (await getEventEvidence(params.id))?.receipt;
  if (!receipt) return fail(404, "not_found", "There is no consent event with this id.");
  return NextResponse.json(receipt, {
    headers: {
      "Content-Disposition": `attachment; filename="consent-receipt-${params.id}.json"`,
      "Cache-Control": "no-store",
    },
  });
});
