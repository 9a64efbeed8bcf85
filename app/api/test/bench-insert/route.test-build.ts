// Bench-only baseline for bench/consent-append.ts: a route doing one plain
// INSERT. The `.test-build.ts` name makes it a route only in builds made with
// ACCORD_TEST_BUILD=1 (next.config.ts pageExtensions): a production build does
// not compile it at all (tests/build/production-build.int.test.ts checks).
//   POST /api/test/bench-insert             signed-in, like the consent route
//   POST /api/test/bench-insert?auth=none   no session check at all
import { NextResponse, type NextRequest } from "next/server";
import { withRoute } from "@/lib/http/route";
import { benchPlainInsert } from "@/lib/consent/bench-insert";
import { ok } from "@/lib/result";

const authenticated = withRoute({ access: "signed-in" }, async ({ actor, meta }) => {
  await benchPlainInsert(actor.id, meta.userAgent);
  return ok({ inserted: 1 });
});

export async function POST(request: NextRequest, segment: { params: Promise<Record<string, string>> }) {
  if (request.nextUrl.searchParams.get("auth") === "none") {
    await benchPlainInsert(null, request.headers.get("user-agent"));
    return NextResponse.json({ inserted: 1 });
  }
  return authenticated(request, segment);
}
