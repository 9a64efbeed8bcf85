// Accord's HTTP server: node:http in front of Next.js on one port. It decides
// what the app must be able to trust about a request before Next sees it:
//   - the client address, from the socket unless TRUSTED_PROXIES names the
//     hops to believe (lib/server/client-address.ts), passed on in an internal
//     header after deleting any copy the client sent;
//   - the security headers, with a fresh CSP nonce per request;
//   - request body size (413 before anything reads the body);
//   - server actions' arguments, which React decodes before any action code
//     runs (400 for what it cannot decode: lib/server/action-reply-guard.ts);
// then gives the request to a fast path or to Next.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import { followServedBuild } from "@/lib/clock";
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE_BODY,
  isDatabaseUnavailable,
  reportDatabaseOutage,
  routeOutageLogsThroughReporter,
} from "@/lib/db/outage";
import { isServerActionRequest, screenServerAction } from "@/lib/server/action-reply-guard";
import {
  clientAddress,
  compileTrustedProxies,
  peerAddress,
  peerIsTrusted,
} from "@/lib/server/client-address";
import { AccordResponse } from "@/lib/server/accord-response";
import type { FastPath } from "@/lib/server/fast-paths";
import { CLIENT_ADDRESS_HEADER, markServedByAccordServer } from "@/lib/server/internal-headers";
import {
  contentSecurityPolicy,
  jsonSecurityHeaders,
  newNonce,
  staticSecurityHeaders,
} from "@/lib/server/security-headers";

/** Largest request body accepted anywhere (server actions included); routes may set less. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface AccordServerOptions {
  /** Public address (APP_URL): decides HSTS. */
  appUrl: string;
  /** TRUSTED_PROXIES entries; empty trusts no proxy. */
  trustedProxies: readonly string[];
  port: number;
  /** Interface to listen on (default: all). */
  hostname?: string;
  dev?: boolean;
  /** The Next.js project folder (default: the working directory). */
  dir?: string;
  fastPaths?: readonly FastPath[];
  maxBodyBytes?: number;
  /** Answers instead of Next.js: for tests of the server itself. */
  handler?: RequestHandler;
}

export interface AccordServer {
  server: Server;
  /** http://host:port actually bound (port 0 picks a free one). */
  url: string;
  close(): Promise<void>;
}

// Headers only a trusted proxy may set; from anyone else they are dropped.
const FORWARDING_HEADERS = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "forwarded",
  "x-real-ip",
];
// Next.js reads the CSP nonce from the request's policy: only ours may be there.
const POLICY_REQUEST_HEADERS = ["content-security-policy", "content-security-policy-report-only"];
const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export async function startAccordServer(options: AccordServerOptions): Promise<AccordServer> {
  routeOutageLogsThroughReporter();
  const trust = compileTrustedProxies(options.trustedProxies);
  const securityHeaders = staticSecurityHeaders(options);
  // Flat (name, value, …): sent with a JSON answer's head in one step (lib/server/accord-response.ts).
  const jsonHeaders = Object.entries(jsonSecurityHeaders(options)).flat();
  const maxBodyBytes = options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  const fastPaths = options.fastPaths ?? [];

  let app: ReturnType<typeof next> | undefined;
  let handle = options.handler;
  if (!handle) {
    app = next({
      dev: options.dev ?? false,
      dir: options.dir ?? process.cwd(),
      hostname: options.hostname,
      port: options.port,
    });
    await app.prepare();
    handle = app.getRequestHandler();
    // Fast paths run outside the bundle: their clock follows the build served.
    if (!options.dev) followServedBuild(options.dir ?? process.cwd());
  }
  const nextHandler = handle;

  const server = createServer({ ServerResponse: AccordResponse }, (request, response) => {
    void serve(request, response).catch((error: unknown) => {
      if (isDatabaseUnavailable(error)) {
        // A fast path could not reach the database: 503, logged once per outage.
        reportDatabaseOutage("server", error);
        if (!response.headersSent) return outageAnswer(request, response);
      } else console.error("[server] request failed before reaching the app", error);
      // Nothing of the error is sent; an API client gets its error format.
      if (!response.headersSent) errorAnswer(request, response, 500, INTERNAL_ERROR);
      else response.destroy();
    });
  });

  async function serve(request: IncomingMessage, response: AccordResponse): Promise<void> {
    const trusted = peerIsTrusted(request, trust);
    // Untrusted peers: the socket's address, worked out once per connection.
    const address = trusted ? clientAddress(request, trust) : peerAddress(request);
    delete request.headers[CLIENT_ADDRESS_HEADER];
    for (const name of POLICY_REQUEST_HEADERS) delete request.headers[name];
    if (!trusted) for (const name of FORWARDING_HEADERS) delete request.headers[name];
    request.headers[CLIENT_ADDRESS_HEADER] = address;

    // A fast path that answers only JSON gets a JSON answer's headers: no
    // document, so no script nonce to make nor document-only headers to send.
    const url = new URL(request.url ?? "/", "http://accord.invalid");
    const jsonPath = fastPaths.find((path) => path.json === true && path.matches(request, url));
    let nonce = "";
    const documentHeaders = () => {
      nonce = newNonce();
      const policy = contentSecurityPolicy(nonce, options);
      request.headers["content-security-policy"] = policy;
      response.setHeader("Content-Security-Policy", policy);
      for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
    };
    if (jsonPath) response.presetHeaders = jsonHeaders;
    else documentHeaders();

    const refusal = bodyRefusal(request, maxBodyBytes);
    if (refusal) {
      request.resume();
      return refuse(request, response, refusal);
    }

    if (isServerActionRequest(request)) {
      // React's reply decoder runs before any action code: what it cannot decode is refused here.
      const problem = await screenServerAction(request);
      if (problem) return plainAnswer(response, 400, `The action's arguments cannot be read: ${problem}.`);
    }

    const badPath = pathRefusal(url.pathname);
    if (badPath) {
      request.resume();
      return refuse(request, response, badPath);
    }
    for (const path of jsonPath ? [jsonPath] : fastPaths) {
      try {
        if (
          path.matches(request, url) &&
          (await path.handle(request, response, { url, clientAddress: address, nonce }))
        )
          return;
      } catch (error) {
        // The database is down: an API answers 503 JSON; a page goes to Next,
        // whose error page tells people to try again (app/error.tsx).
        if (!isDatabaseUnavailable(error) || response.headersSent) throw error;
        reportDatabaseOutage("server", error);
        if (url.pathname.startsWith("/api/")) return outageAnswer(request, response);
        break;
      }
    }
    // Next answers: with a document's headers, whatever a JSON fast path set.
    if (jsonPath) {
      response.presetHeaders = null;
      documentHeaders();
    }
    await nextHandler(request, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  markServedByAccordServer();
  const bound = server.address() as AddressInfo;
  const host = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  return {
    server,
    url: `http://${host}:${bound.port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await app?.close();
    },
  };
}

interface Refusal {
  status: 400 | 411 | 413;
  code: string;
  message: string;
}

/**
 * Bodies are measured before anything reads them: Content-Length above the
 * limit is 413. A body without a length (chunked) is refused with 411, since
 * it could only be measured by reading it; browsers always send the length.
 */
export function bodyRefusal(request: IncomingMessage, maxBodyBytes: number): Refusal | null {
  if (!METHODS_WITH_BODY.has(request.method ?? "GET")) return null;
  const length = request.headers["content-length"];
  if (length === undefined) {
    if (request.headers["transfer-encoding"] === undefined) return null;
    return { status: 411, code: "length_required", message: "Send the request body with a Content-Length." };
  }
  if (!/^\d+$/.test(length) || Number(length) > maxBodyBytes) {
    return {
      status: 413,
      code: "payload_too_large",
      message: `The request body is larger than ${Math.floor(maxBodyBytes / 1024)} KiB.`,
    };
  }
  return null;
}

/**
 * A path whose percent-escapes are not UTF-8 (`/api/v1/versions/%B0`) or not
 * escapes at all (`/a%zz`) names nothing: 400 here, before Next, whose route
 * matching decodes each segment and answered such a path 500 (URIError;
 * bench/fuzz-routes.ts). Fast paths decode their own segments the same way.
 */
export function pathRefusal(pathname: string): Refusal | null {
  if (!pathname.includes("%")) return null;
  try {
    decodeURIComponent(pathname);
    return null;
  } catch {
    return {
      status: 400,
      code: "invalid_path",
      message: "The path is not valid: a %-escape in it is not UTF-8.",
    };
  }
}

function refuse(request: IncomingMessage, response: ServerResponse, refusal: Refusal): void {
  response.setHeader("Connection", "close");
  errorAnswer(request, response, refusal.status, { code: refusal.code, message: refusal.message });
}

function outageAnswer(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
  errorAnswer(request, response, 503, DATABASE_UNAVAILABLE_BODY.error);
}

const INTERNAL_ERROR = {
  code: "internal_error",
  message:
    "The server failed to answer this request. Try again later; if it persists, tell the service's operator.",
} as const;

/** An error answer: the API's JSON error format under /api/, plain text elsewhere. */
function errorAnswer(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  error: { code: string; message: string },
): void {
  if ((request.url ?? "").startsWith("/api/")) {
    response.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
    response.end(JSON.stringify({ error }));
    return;
  }
  plainAnswer(response, status, error.message);
}

function plainAnswer(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  response.end(`${message}\n`);
}
