// POST /api/v1/log/cosignatures { cosigned } — a registered witness hands in
// its cosignature of a checkpoint (`npm run witness`).
import { withRoute } from "@/lib/http/route";
import { acceptCosignatures } from "@/lib/ledger/log/public-log";
import { cosignatureBodySchema } from "@/lib/ledger/log/schemas";

export const POST = withRoute({ access: "public", body: cosignatureBodySchema }, async ({ body }) =>
  acceptCosignatures(body.cosigned),
);
