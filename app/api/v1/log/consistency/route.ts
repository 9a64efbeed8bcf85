// GET /api/v1/log/consistency?from=<size>&to=<size> — an RFC 9162 consistency proof.
import { withRoute } from "@/lib/http/route";
import { getConsistencyProof } from "@/lib/ledger/log/public-log";
import { consistencyQuerySchema } from "@/lib/ledger/log/schemas";

export const GET = withRoute({ access: "public", query: consistencyQuerySchema }, async ({ query }) =>
  getConsistencyProof(query.from, query.to),
);
