// Bench-only baseline for bench/consent-append.ts: a route doing one plain
// INSERT. Exists only in builds made with ACCORD_TEST_BUILD=1; 404 otherwise.
//   POST /api/test/bench-insert             signed-in, like the consent route
//   POST /api/test/bench-insert?auth=none   no session check at all
import { NextResponse, type NextRequest } from "next/server";
import { withRoute } from "@/lib/http/route";
import { benchPlainInsert, benchRoutesEnabled } from "@/lib/consent/bench-insert";
import { ok } from "@/lib/result";

const authenticated = withRoute({ access: "signed-in" }, async ({ actor, meta }) => {
  await benchPlainInsert(actor.id, meta.userAgent);
  return ok({ inserted: 1 });
});

export async function POST(request: NextRequest, segment: { params: Promise<Record<string, string>> }) {
  if (!benchRoutesEnabled)
    return NextResponse.json({ error: { code: "not_found", message: "Not found." } }, { status: 404 });
  if (request.nextUrl.searchParams.get("auth") === "none") {
    await benchPlainInsert(null, request.headers.get("user-agent"));
    return NextResponse.json({ inserted: 1 });
  }
  return authenticated(request, segment);
}
