// GET /.well-known/jwks.json — the public keys that verify consent tokens
// (docs/tokens.md). Keys rotate monthly; the next key is listed a week ahead.
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route";
import { publishedJwks } from "@/lib/tokens/signing-keys";

export const GET = withRoute({ access: "public" }, async () =>
  NextResponse.json(await publishedJwks(), {
    headers: { "Cache-Control": "public, max-age=300", "Content-Type": "application/jwk-set+json" },
  }),
);
