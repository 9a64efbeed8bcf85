import { AUDIT_ROLES } from "@/lib/auth/actor";
import { withRoute } from "@/lib/http/route";
import { getEventEvidence } from "@/lib/audit/evidence";
import { fail, ok } from "@/lib/result";

/** One event's full evidence: fields, recomputed hash, chain link, notice, checkpoint. */
export const GET = withRoute<never, never, { id: string }>({ access: AUDIT_ROLES }, async ({ params }) => {
  const evidence = await getEventEvidence(params.id);
  return evidence ? ok(evidence) : fail(404, "not_found", "There is no consent event with this id.");
});
