// Property-based fuzzing of every JSON route, in-process (issue 9, "Must
// hold"): FUZZ_RUNS (default 100) generated hostile requests per route, run
// through the route handlers as Next runs them. No answer ≥ 500, a 4xx from
// every write route, and not one row written. The same cases run against a
// live server 10,000 per route in bench/fuzz-routes.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { fuzzRoutes, type FuzzRequest } from "@/tests/security/fuzz-cases";
import { countRows, makeCredentials, type Credentials } from "@/tests/security/fuzz-setup";

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
type Handler = (
  request: NextRequest,
  segment: { params: Promise<Record<string, string>> },
) => Promise<Response>;

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let credentials: Credentials;
let pool: import("pg").Pool;
let handlers: { pattern: RegExp; method: string; handler: Handler; params?: string[] }[];

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  pool = (await import("@/lib/db")).pool;
  credentials = await makeCredentials();
  const h = (module: Record<string, unknown>, method: string) => module[method] as Handler;
  const endpointRoute = await import("@/app/api/v1/webhooks/[endpointId]/route");
  handlers = [
    {
      pattern: /^\/api\/v1\/me\/consent$/,
      method: "POST",
      handler: h(await import("@/app/api/v1/me/consent/route"), "POST"),
    },
    {
      pattern: /^\/api\/v1\/log\/cosignatures$/,
      method: "POST",
      handler: h(await import("@/app/api/v1/log/cosignatures/route"), "POST"),
    },
    {
      pattern: /^\/api\/v1\/webhooks$/,
      method: "POST",
      handler: h(await import("@/app/api/v1/webhooks/route"), "POST"),
    },
    {
      pattern: /^\/api\/v1\/hosted-links$/,
      method: "POST",
      handler: h(await import("@/app/api/v1/hosted-links/route"), "POST"),
    },
    {
      pattern: /^\/api\/v1\/subjects\/([^/]*)\/consent$/,
      method: "POST",
      params: ["subjectId"],
      handler: h(await import("@/app/api/v1/subjects/[subjectId]/consent/route"), "POST"),
    },
    {
      pattern: /^\/api\/v1\/audit\/exports$/,
      method: "GET",
      handler: h(await import("@/app/api/v1/audit/exports/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/audit\/events$/,
      method: "GET",
      handler: h(await import("@/app/api/v1/audit/events/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/audit\/dashboards$/,
      method: "GET",
      handler: h(await import("@/app/api/v1/audit/dashboards/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/me\/events$/,
      method: "GET",
      handler: h(await import("@/app/api/v1/me/events/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/log\/inclusion$/,
      method: "GET",
      handler: h(await import("@/app/api/v1/log/inclusion/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/log\/consistency$/,
      method: "GET",
      handler: h(await import("@/app/api/v1/log/consistency/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/subjects\/status$/,
      method: "POST",
      handler: h(await import("@/app/api/v1/subjects/status/route"), "POST"),
    },
    {
      pattern: /^\/api\/v1\/subjects\/([^/]*)\/status$/,
      method: "GET",
      params: ["subjectId"],
      handler: h(await import("@/app/api/v1/subjects/[subjectId]/status/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/subjects\/([^/]*)\/token$/,
      method: "POST",
      params: ["subjectId"],
      handler: h(await import("@/app/api/v1/subjects/[subjectId]/token/route"), "POST"),
    },
    {
      pattern: /^\/api\/v1\/versions$/,
      method: "GET",
      handler: h(await import("@/app/api/v1/versions/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/versions\/current$/,
      method: "GET",
      handler: h(await import("@/app/api/v1/versions/current/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/versions\/([^/]*)$/,
      method: "GET",
      params: ["number"],
      handler: h(await import("@/app/api/v1/versions/[number]/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/me\/consent$/,
      method: "GET",
      handler: h(await import("@/app/api/v1/me/consent/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/me\/data$/,
      method: "GET",
      handler: h(await import("@/app/api/v1/me/data/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/me\/receipts\/([^/]*)$/,
      method: "GET",
      params: ["eventId"],
      handler: h(await import("@/app/api/v1/me/receipts/[eventId]/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/audit\/events\/([^/]*)$/,
      method: "GET",
      params: ["id"],
      handler: h(await import("@/app/api/v1/audit/events/[id]/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/audit\/events\/([^/]*)\/receipt$/,
      method: "GET",
      params: ["id"],
      handler: h(await import("@/app/api/v1/audit/events/[id]/receipt/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/audit\/exports\/([^/]*)\/manifest$/,
      method: "GET",
      params: ["id"],
      handler: h(await import("@/app/api/v1/audit/exports/[id]/manifest/route"), "GET"),
    },
    {
      pattern: /^\/api\/v1\/webhooks$/,
      method: "GET",
      handler: h(await import("@/app/api/v1/webhooks/route"), "GET"),
    },
    ...(["GET", "PATCH", "DELETE"] as const).map((method) => ({
      pattern: /^\/api\/v1\/webhooks\/([^/]*)$/,
      method,
      params: ["endpointId"],
      handler: h(endpointRoute, method),
    })),
    {
      pattern: /^\/api\/v1\/webhooks\/([^/]*)\/test$/,
      method: "POST",
      params: ["endpointId"],
      handler: h(await import("@/app/api/v1/webhooks/[endpointId]/test/route"), "POST"),
    },
    {
      pattern: /^\/api\/v1\/webhooks\/([^/]*)\/deliveries\/([^/]*)\/replay$/,
      method: "POST",
      params: ["endpointId", "deliveryId"],
      handler: h(
        await import("@/app/api/v1/webhooks/[endpointId]/deliveries/[deliveryId]/replay/route"),
        "POST",
      ),
    },
    {
      pattern: /^\/api\/v1\/openapi\.json$/,
      method: "GET",
      handler: h(await import("@/app/api/v1/openapi.json/route"), "GET"),
    },
  ];
});

afterAll(async () => {
  await db.release();
});

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Sends one generated request to its handler, as Next would route it. */
async function send(request: FuzzRequest, caller: Record<string, string>): Promise<number> {
  const pathname = request.path.split("?")[0] ?? "";
  const route = handlers.find((r) => r.method === request.method && r.pattern.test(pathname));
  if (!route) throw new Error(`no handler for ${request.method} ${pathname}`);
  const match = route.pattern.exec(pathname);
  // Next hands dynamic segments over decoded (as-is when they do not decode).
  const params: Record<string, string> = Object.fromEntries(
    (route.params ?? []).map((name, i) => [name, decodeSegment(match?.[i + 1] ?? "")]),
  );
  const body = request.body;
  const next = new NextRequest(new URL(request.path, "http://localhost:3000"), {
    method: request.method,
    headers: {
      host: "localhost:3000",
      ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }),
      ...request.headers,
      ...caller,
    },
    body,
  });
  const response = await route.handler(next, { params: Promise.resolve(params) });
  await response.arrayBuffer();
  return response.status;
}

describe(`fuzzing every JSON route (${RUNS} generated requests each)`, () => {
  for (const route of fuzzRoutes()) {
    it(`${route.name}: no 5xx${route.writes ? ", never accepted" : ""}, no writes`, async () => {
      const before = await countRows(pool);
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(route.request, async (request) => {
          const status = await send(request, credentials[route.caller]);
          statuses.add(status);
          if (status >= 500) return false;
          // A write route never accepts (2xx); refusals are 4xx (or Next's 308 for a path like //).
          return route.writes ? status < 200 || status >= 300 : true;
        }),
        { numRuns: RUNS },
      );
      expect(await countRows(pool)).toEqual(before);
      // The caller's credentials work: some requests got past authentication to the input checks.
      expect([...statuses].filter((status) => status !== 401 && status !== 403)).not.toEqual([]);
    });
  }
});
