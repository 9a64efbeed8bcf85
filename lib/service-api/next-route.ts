import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { executeOperation } from "@/lib/service-api/execute";
import type { ServiceOperation } from "@/lib/service-api/operation";
import { answeringOutages } from "@/lib/http/outage-response";

/**
 * A Next.js route handler for an operation. `npm start` answers these paths
 * in the custom server's fast path before Next sees them; the route file is
 * what serves them under a plain `next start` or `next dev`.
 */
export function operationRoute(operation: ServiceOperation) {
  const route = async (request: NextRequest, segment: { params: Promise<Record<string, string>> }) => {
    const answer = await executeOperation(operation, {
      params: await segment.params,
      header: (name) => request.headers.get(name),
      readBody: () => request.text(),
    });
    return NextResponse.json(answer.body, { status: answer.status, headers: answer.headers });
  };
  // A database outage: 503 JSON with Retry-After (the fast path does the same in lib/server).
  return answeringOutages(route);
}
