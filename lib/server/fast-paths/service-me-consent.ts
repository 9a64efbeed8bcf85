// GET /api/v1/me/consent answered by the custom server (docs/integration.md,
// "The hot path"): the session cookie is decoded, never re-encrypted
// (lib/auth/session.ts), and the user check and the preference read are one
// statement (lib/service-api/my-consent.ts). The answer is the route's, byte
// for byte in shape; the route still serves POST and `next dev`.
import type { FastPath } from "@/lib/server/fast-paths";

const PATH = "/api/v1/me/consent";

function json(response: import("node:http").ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  response.end(text);
}

// Loaded once, not per request (the server starts before the app's modules).
let modules:
  | Promise<
      [
        typeof import("@/lib/auth/session"),
        typeof import("@/lib/service-api/my-consent"),
        typeof import("@/lib/http/request-meta"),
        typeof import("@/lib/consent/gpc"),
      ]
    >
  | undefined;
const load = () =>
  (modules ??= Promise.all([
    import("@/lib/auth/session"),
    import("@/lib/service-api/my-consent"),
    import("@/lib/http/request-meta"),
    import("@/lib/consent/gpc"),
  ]));

export const meConsentFastPath: FastPath = {
  name: "me-consent",
  json: true,
  matches: (request, url) => request.method === "GET" && url.pathname === PATH,
  async handle(request, response) {
    const [{ sessionTokenFrom, decodeSessionToken }, { readMyPreferences, myConsentAnswer }, meta, gpc] =
      await load();
    const unauthenticated = () =>
      json(response, 401, { error: { code: "unauthenticated", message: "Sign in to continue." } });
    const token = sessionTokenFrom(request.headers.cookie);
    const claims = token ? await decodeSessionToken(token) : null;
    if (!claims) {
      unauthenticated();
      return true;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const requestMeta = meta.requestMetaFrom(headers, true);
    // A Global Privacy Control signal is applied first, as the route does (a write only when it changes something).
    if (requestMeta.gpc) await gpc.applyGpcSignal(claims.sub, requestMeta);
    const preferences = await readMyPreferences(claims);
    if (!preferences) {
      unauthenticated();
      return true;
    }
    json(response, 200, myConsentAnswer(preferences, requestMeta.gpc));
    return true;
  },
};
