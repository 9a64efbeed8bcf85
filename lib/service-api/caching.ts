import "server-only";
import { NextResponse } from "next/server";
import type { Cacheable } from "@/lib/service-api/versions";
import { etagMatches } from "@/lib/service-api/etag";

/** 200 with the body, or 304 when the client already holds this representation. */
export function cacheableResponse<T>(request: Request, cacheable: Cacheable<T>): NextResponse {
  const headers = { ETag: cacheable.etag, "Cache-Control": cacheable.cacheControl, Vary: "Authorization" };
  if (etagMatches(request.headers.get("if-none-match"), cacheable.etag))
    return new NextResponse(null, { status: 304, headers });
  return NextResponse.json(cacheable.body, { headers });
}
