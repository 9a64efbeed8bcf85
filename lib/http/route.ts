import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { checkAccess, invalidInput } from "@/lib/auth/action";
import { readSessionActor } from "@/lib/auth/session";
import { env } from "@/lib/env";
import {
  bodyContentTypeRefusal,
  contentTypeRefusal,
  crossSiteRefusal,
  isStateChanging,
  nulRefusal,
} from "@/lib/http/request-guards";
import type { Actor } from "@/lib/auth/actor";
import { requestMetaFrom, type RequestMeta } from "@/lib/http/request-meta";
import { fail, type Failure, type Result } from "@/lib/result";
import { failureBody } from "@/lib/validation/field-errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { authenticateApiKey, type ApiKeyCaller } from "@/lib/api-keys/authenticate";
import { quotaHeaders } from "@/lib/api-keys/rate-limit";
import type { ApiScopeName } from "@/lib/api-keys/scopes";
import { answeringOutages } from "@/lib/http/outage-response";

/** A service calling with an API key that holds this scope (lib/api-keys). */
export interface ApiKeyAccess {
  apiKey: ApiScopeName;
}

type Access = "public" | "signed-in" | readonly Role[] | ApiKeyAccess;
type RouteAccess = Exclude<Access, "public">;
/** Who a route's handler serves: a signed-in person, or a service's API key. */
type CallerOf<A> = [A] extends ["public"] ? null : [A] extends [ApiKeyAccess] ? ApiKeyCaller : Actor;

export interface RouteContext<Q, B, P, C = Actor> {
  /** Who calls: a signed-in actor, an API key's service, or null on public routes (no session read). */
  actor: C;
  meta: RequestMeta;
  query: Q;
  body: B;
  params: P;
  request: NextRequest;
}

/**
 * For routes whose query schema needs data first (the purpose keys that
 * exist): withRoute passes the parameters through and the handler parses
 * them with its own strict schema.
 */
export const queryCheckedByHandler = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export function failureResponse(failure: Failure, headers?: HeadersInit): NextResponse {
  return NextResponse.json(failureBody(failure), { status: failure.status, headers });
}

/**
 * Every route handler enters here: access check, then query and JSON body
 * validated with zod. Expected failures become 4xx JSON; the handler returns a
 * Result or a Response of its own (for streams and files). A database outage
 * becomes a 503 JSON with Retry-After (lib/http/outage-response.ts).
 */
export function withRoute<
  QS extends z.ZodType = z.ZodUndefined,
  BS extends z.ZodType = z.ZodUndefined,
  P = Record<string, string>,
  A extends Access = RouteAccess,
>(
  options: { access: A; query?: QS; body?: BS },
  handler: (
    context: RouteContext<z.infer<QS>, z.infer<BS>, P, CallerOf<A>>,
  ) => Promise<Result<unknown> | Response>,
) {
  const route = async (request: NextRequest, segment: { params: Promise<P> }): Promise<Response> => {
    // State-changing requests send JSON, and session-authenticated ones come
    // from our own origin (lib/http/request-guards.ts). A keyed request
    // without a body needs no Content-Type.
    const guard = isApiKeyAccess(options.access)
      ? isStateChanging(request.method)
        ? bodyContentTypeRefusal(request.headers)
        : null
      : (contentTypeRefusal(request.method, request.headers) ??
        (usesSession(options.access)
          ? crossSiteRefusal(request.method, request.headers, env.APP_URL)
          : null));
    if (guard) return failureResponse(guard);
    // Public routes (the transparency log's) answer anyone and read no session.
    const access =
      options.access === "public"
        ? { actor: null }
        : await authorizeRoute(options.access as RouteAccess, request);
    if ("ok" in access) return failureResponse(access, access.headers);
    const query = parseQuery(options.query, request);
    if (query && !query.success)
      return failureResponse("failure" in query ? query.failure : invalidInput(query.error));
    let body: unknown = undefined;
    if (options.body) {
      const raw = await request.json().catch(() => undefined);
      if (raw === undefined)
        return failureResponse(fail(400, "invalid_json", "The request body must be JSON."));
      const nul = nulRefusal(raw);
      if (nul) return failureResponse(nul);
      const parsed = options.body.safeParse(raw);
      if (!parsed.success) return failureResponse(invalidInput(parsed.error));
      body = parsed.data;
    }
    const response = await respond(
      await handler({
        actor: access.actor as CallerOf<A>,
        meta: requestMetaFrom(request.headers),
        query: query?.data as z.infer<QS>,
        body: body as z.infer<BS>,
        params: await segment.params,
        request,
      }),
    );
    // A keyed answer tells the service how much of its limit is left.
    const caller = access.actor as Actor | ApiKeyCaller | null;
    if (caller && "kind" in caller && caller.kind === "api-key") {
      for (const [name, value] of Object.entries(quotaHeaders(caller.quota)))
        response.headers.set(name, value);
    }
    return response;
  };
  return answeringOutages(route);
}

function respond(result: Result<unknown> | Response): Response {
  if (result instanceof Response) return result;
  return result.ok ? NextResponse.json(result.data) : failureResponse(result);
}

async function authorizeRoute(
  access: RouteAccess,
  request: NextRequest,
): Promise<(Failure & { headers?: Record<string, string> }) | { actor: Actor | ApiKeyCaller }> {
  if (typeof access === "object" && "apiKey" in access) {
    const checked = await authenticateApiKey(request.headers.get("authorization"), access.apiKey);
    return checked.ok ? { actor: checked.caller } : checked;
  }
  // The session straight from the request's cookie (one query, nothing re-encrypted).
  const authorized = checkAccess(await readSessionActor(request.headers.get("cookie")), access);
  if ("ok" in authorized) return authorized;
  return { actor: authorized.actor as Actor };
}

function isApiKeyAccess(access: Access): access is ApiKeyAccess {
  return typeof access === "object" && "apiKey" in access;
}

/** Routes a browser's cookie authenticates: the ones cross-site requests could abuse. */
function usesSession(access: Access): boolean {
  return access !== "public" && !isApiKeyAccess(access);
}

/**
 * A route reads its query string through a schema (strict objects: an unknown
 * parameter is an error, not something to ignore). Without one it takes no
 * parameters at all, so `?unknown=1` is refused there too.
 */
function parseQuery(schema: z.ZodType | undefined, request: NextRequest) {
  const search = request.nextUrl.searchParams;
  if (!schema) {
    const unknown = [...new Set(search.keys())];
    if (unknown.length === 0) return undefined;
    const fieldErrors = Object.fromEntries(unknown.map((key) => [key, ["Unknown query parameter."]]));
    return {
      success: false as const,
      failure: fail(400, "invalid_input", "This address takes no query parameters.", fieldErrors),
    };
  }
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    raw[key] = values.length > 1 ? values : (values[0] ?? "");
  }
  const nul = nulRefusal(raw);
  if (nul) return { success: false as const, failure: nul };
  return schema.safeParse(raw);
}

export type { Result };
