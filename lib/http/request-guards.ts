// Checks every state-changing request passes before anything else reads it
// (lib/http/route.ts). Pure: headers in, a refusal or null out.
//
// Cross-site requests (issue 9, finding 2). A browser attaches the session
// cookie to requests another site's page makes; SameSite=Lax stops a foreign
// *site* but not a page on another port of the same host, nor a top-level
// form POST in every browser. So a state-changing request must
//   - carry Content-Type: application/json: an HTML form or a "simple" fetch
//     cannot send it without a CORS preflight, which we never answer (415);
//   - when it is authenticated by the session cookie, come from our own
//     origin: Sec-Fetch-Site (sent by current browsers) must be same-origin,
//     and Origin, when present, must be our origin (403).
// API-key requests carry their credential explicitly, so they are exempt from
// the origin check (a key in another site's page is already leaked), but they
// still send JSON.
import { fail, type Failure } from "@/lib/result";
import { fieldMessage } from "@/lib/validation/messages";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isStateChanging(method: string): boolean {
  return STATE_CHANGING.has(method.toUpperCase());
}

/** application/json, with or without parameters (charset=utf-8). */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const media = value.split(";")[0]?.trim().toLowerCase();
  return media === "application/json";
}

/** Reads request headers, whichever server's request they come from. */
export type HeaderReader = Pick<Headers, "get">;

/** True when the request has a body (or says it has one). */
function hasBody(headers: HeaderReader): boolean {
  const length = headers.get("content-length");
  return (length !== null && length.trim() !== "0") || headers.get("transfer-encoding") !== null;
}

const UNSUPPORTED = () =>
  fail(415, "unsupported_media_type", "Send the request body as JSON (Content-Type: application/json).");

/**
 * 415 unless a POST/PUT/PATCH (or a DELETE with a body) says it sends JSON.
 * GET and HEAD pass.
 */
export function contentTypeRefusal(method: string, headers: Headers): Failure | null {
  const upper = method.toUpperCase();
  if (!isStateChanging(upper)) return null;
  if (upper === "DELETE" && !hasBody(headers)) return null;
  if (isJsonContentType(headers.get("content-type"))) return null;
  return UNSUPPORTED();
}

/**
 * For API-key requests: 415 when a request carries a body that is not said
 * to be JSON (it is refused unread, whatever its text). A request without a
 * body passes: there is nothing to misread, and a key is no ambient browser
 * credential a form on another site could send (so `POST …/test` needs no
 * Content-Type).
 */
export function bodyContentTypeRefusal(headers: HeaderReader): Failure | null {
  if (!hasBody(headers) || isJsonContentType(headers.get("content-type"))) return null;
  return UNSUPPORTED();
}

/** The origins a same-origin request may name: the public address and the host the browser used. */
export function ownOrigins(headers: Headers, appUrl: string): Set<string> {
  const app = new URL(appUrl);
  const origins = new Set([app.origin]);
  const host = headers.get("host");
  if (host) {
    try {
      origins.add(new URL(`${app.protocol}//${host}`).origin);
    } catch {
      // A malformed Host adds nothing.
    }
  }
  return origins;
}

/**
 * 403 when a browser says the request came from another origin: another
 * site, or the same site on another port or scheme. Requests without either
 * header (curl, server-to-server) carry no ambient browser credentials and pass.
 */
export function crossSiteRefusal(method: string, headers: Headers, appUrl: string): Failure | null {
  if (!isStateChanging(method)) return null;
  const refusal = fail(403, "cross_site", "Requests from other sites are not accepted.");
  const site = headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return refusal;
  const origin = headers.get("origin");
  if (origin !== null && !ownOrigins(headers, appUrl).has(origin)) return refusal;
  return null;
}

/**
 * The first NUL character in any string (or key) of a parsed value, as a
 * path; null when none. Walks without recursion and visits each object once,
 * so deep or cyclic arguments (a server action's decoded reply may be
 * either) cannot overflow the stack.
 */
export function findNul(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  interface Step {
    value: unknown;
    parent: Step | null;
    key: string | number | null;
  }
  const pathOf = (step: Step | null, last?: string | number) => {
    const keys: (string | number)[] = last === undefined ? [] : [last];
    for (let at = step; at?.key != null; at = at.parent) keys.push(at.key);
    return [...path, ...keys.reverse()];
  };
  const seen = new WeakSet<object>();
  const stack: Step[] = [{ value, parent: null, key: null }];
  while (stack.length > 0) {
    const step = stack.pop() as Step;
    if (typeof step.value === "string") {
      if (step.value.includes("\u0000")) return pathOf(step);
      continue;
    }
    if (step.value === null || typeof step.value !== "object" || seen.has(step.value)) continue;
    seen.add(step.value);
    const entries: [string | number, unknown][] = Array.isArray(step.value)
      ? step.value.map((item, i): [number, unknown] => [i, item])
      : Object.entries(step.value);
    const nulKey = entries.find(([key]) => typeof key === "string" && key.includes("\u0000"));
    if (nulKey) return pathOf(step, nulKey[0]);
    // Pushed in reverse so the first field is looked at first, as before.
    for (const [key, item] of entries.reverse()) stack.push({ value: item, parent: step, key });
  }
  return null;
}

/** 400 naming the field when the input holds a NUL character (Postgres text cannot store one). */
export function nulRefusal(value: unknown): Failure | null {
  const path = findNul(value);
  if (!path) return null;
  const field = path.join(".") || "_form";
  return fail(400, "invalid_input", "Some fields need attention.", {
    [field]: [fieldMessage("containsNul")],
  });
}
