// GET /api/v1/log/inclusion?event=<id>[&size=<tree size>] — an event's RFC 9162
// inclusion proof against a signed checkpoint (the latest by default).
import { withRoute } from "@/lib/http/route";
import { getInclusionProof } from "@/lib/ledger/log/public-log";
import { inclusionQuerySchema } from "@/lib/ledger/log/schemas";

export const GET = withRoute({ access: "public", query: inclusionQuerySchema }, async ({ query }) =>
  getInclusionProof(query.event, query.size),
);
