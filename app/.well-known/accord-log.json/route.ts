// GET /.well-known/accord-log.json — the log's origin, its public key (as a
// C2SP verifier key and as a JWKS for receipts' JWS) and its promises.
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route";
import { describeLog } from "@/lib/ledger/log/public-log";

export const GET = withRoute({ access: "public" }, async () =>
  NextResponse.json(await describeLog(), { headers: { "Cache-Control": "public, max-age=300" } }),
);
