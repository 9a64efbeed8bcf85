// Anonymous GETs of the public agreement pages (/agreement, the versions list,
// a version, a diff) answered from cached bytes, before Next.js. Published
// versions are immutable, so a page changes only when a version is published
// or takes effect: an entry expires at the next effective instant (from the
// clock, so it is exact), is dropped when this process publishes, and is
// checked against the database's published-versions fingerprint at most once
// a second (a publish by another process, such as the import CLI; builds made
// for tests check on every request).
//
// A miss asks this same server for the page (one loopback request that skips
// this fast path; concurrent misses share it) and keeps the bytes split at the
// CSP nonce of that answer; each hit joins them with the nonce of its own
// request, so the page's scripts keep working under the strict CSP.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { LRUCache } from "lru-cache";
import { isClockOverridable, now } from "@/lib/clock";
import { negotiateLanguage } from "@/lib/http/locale";
import { defaultLocale, isLocale, LOCALE_COOKIE, locales } from "@/lib/i18n/locales";
import type { PublishedState } from "@/lib/agreements/render/page-cache-state";
import { agreementPagesGeneration } from "@/lib/agreements/render/page-generation";
import type { FastPath } from "@/lib/server/fast-paths";

/** The header that marks our own loopback request for a page (so it goes to Next). */
export const FILL_HEADER = "x-accord-page-fill";

// Headers of Next's answer worth replaying; the security headers are the server's own.
const REPLAYED = ["content-type", "cache-control", "vary", "link", "x-nextjs-cache"];
// Next.js sends these on client-side navigations: they want the RSC payload, not HTML.
const NEXT_NAVIGATION_HEADERS = ["rsc", "next-router-state-tree", "next-router-prefetch", "next-action"];
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

interface Entry {
  /** The page is not shared (not found, sets a cookie...): Next answers it, without a loopback each time. */
  passThrough: boolean;
  parts: Buffer[];
  headers: [string, string][];
  bytes: number;
  /** Epoch ms (by lib/clock) at which the next version takes effect. */
  expiresAt: number;
  generation: number;
  fingerprint: string;
}

export interface AgreementPagesOptions {
  /** Total bytes kept (default 64 MiB). */
  maxBytes?: number;
  /** How often the fingerprint is checked, in ms (default 1000; 0 in builds made for tests). */
  revalidateMs?: number;
  /** Reads what is published (tests give their own). */
  state?: () => Promise<PublishedState>;
  /** The app's clock in epoch ms (default lib/clock). */
  clock?: () => number;
}

/** The cache key of a request, or null when the fast path must not answer it. */
export function pageKey(request: IncomingMessage, url: URL): string | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  if (request.headers[FILL_HEADER] !== undefined) return null;
  for (const name of NEXT_NAVIGATION_HEADERS) if (request.headers[name] !== undefined) return null;
  const cookies = parseCookies(request.headers.cookie);
  if (SESSION_COOKIES.some((name) => cookies.has(name))) return null;
  const path = normalisedPath(url);
  if (!path) return null;
  const fromCookie = cookies.get(LOCALE_COOKIE);
  const negotiated = negotiateLanguage(request.headers["accept-language"], locales);
  const locale = isLocale(fromCookie) ? fromCookie : isLocale(negotiated) ? negotiated : defaultLocale;
  return `${locale} ${path}`;
}

const NUMBER = /^[1-9]\d{0,8}$/;

function normalisedPath(url: URL): string | null {
  const params = [...url.searchParams.keys()];
  if (url.pathname === "/agreement" || url.pathname === "/agreement/versions") {
    return params.length === 0 ? url.pathname : null;
  }
  const version = /^\/agreement\/versions\/([^/]+)$/.exec(url.pathname);
  if (version) return params.length === 0 && NUMBER.test(version[1]!) ? url.pathname : null;
  if (url.pathname === "/agreement/diff") {
    const from = url.searchParams.get("from") ?? "";
    const to = url.searchParams.get("to") ?? "";
    const view = url.searchParams.get("view");
    if (!NUMBER.test(from) || !NUMBER.test(to) || params.some((p) => !["from", "to", "view"].includes(p)))
      return null;
    if (view !== null && view !== "split") return null;
    return `/agreement/diff?from=${from}&to=${to}${view ? "&view=split" : ""}`;
  }
  return null;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return cookies;
}

export function agreementPagesFastPath(options: AgreementPagesOptions = {}): FastPath & { clear(): void } {
  // Builds made for tests check on every request: e2e specs publish from another process and look at once.
  const revalidateMs = options.revalidateMs ?? (isClockOverridable() ? 0 : 1000);
  // Loaded on first use: the database module wants a validated environment.
  const readState =
    options.state ??
    (async () => (await import("@/lib/agreements/render/page-cache-state")).publishedState());
  const clock = options.clock ?? (() => now().getTime());
  const cache = new LRUCache<string, Entry>({
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (entry) => Math.max(1, entry.bytes),
  });
  const filling = new Map<string, Promise<Entry>>();
  let known: { state: PublishedState; checkedAt: number } | null = null;
  let checking: Promise<void> | null = null;

  /** Re-reads the published state when it is older than revalidateMs (in the background once known). */
  function refreshState(): Promise<void> {
    checking ??= readState()
      .then((state) => {
        if (known && known.state.fingerprint !== state.fingerprint) cache.clear();
        known = { state, checkedAt: performance.now() };
      })
      .finally(() => {
        checking = null;
      });
    return checking;
  }

  async function fill(key: string, request: IncomingMessage, locale: string, path: string): Promise<Entry> {
    if (!known) await refreshState();
    const state = known!.state;
    const generation = agreementPagesGeneration();
    const answer = await loopback(request, path, locale);
    const entry: Entry = {
      ...(answer ?? { parts: [], headers: [], bytes: 0 }),
      passThrough: answer === null,
      expiresAt: state.nextEffectiveAt?.getTime() ?? Number.POSITIVE_INFINITY,
      generation,
      fingerprint: state.fingerprint,
    };
    cache.set(key, entry);
    return entry;
  }

  return {
    name: "agreement-pages",
    clear: () => cache.clear(),
    matches: (request, url) => pageKey(request, url) !== null,
    async handle(request, response, { url, nonce }) {
      const key = pageKey(request, url);
      if (!key) return false;
      // At most one fingerprint query per interval, shared by the requests that wait for it.
      if (!known || performance.now() - known.checkedAt > revalidateMs) await refreshState();
      let entry = cache.get(key);
      if (
        entry &&
        (entry.generation !== agreementPagesGeneration() ||
          entry.fingerprint !== known!.state.fingerprint ||
          clock() >= entry.expiresAt)
      ) {
        cache.delete(key);
        if (clock() >= entry.expiresAt) await refreshState();
        entry = undefined;
      }
      if (!entry) {
        const space = key.indexOf(" ");
        let pending = filling.get(key);
        if (!pending) {
          pending = fill(key, request, key.slice(0, space), key.slice(space + 1)).finally(() =>
            filling.delete(key),
          );
          filling.set(key, pending);
        }
        entry = await pending;
      }
      if (entry.passThrough) return false;
      send(response, entry, nonce, request.method === "HEAD");
      return true;
    },
  };
}

function send(response: ServerResponse, entry: Entry, nonce: string, headOnly: boolean): void {
  const nonceBytes = Buffer.from(nonce);
  const length = entry.bytes + (entry.parts.length - 1) * nonceBytes.length;
  for (const [name, value] of entry.headers) response.setHeader(name, value);
  response.setHeader("Content-Length", length);
  response.writeHead(200);
  if (headOnly) {
    response.end();
    return;
  }
  response.cork();
  entry.parts.forEach((part, index) => {
    if (index > 0) response.write(nonceBytes);
    response.write(part);
  });
  response.end();
}

/** Asks this server for the page as an anonymous visitor would, in the given locale. */
function loopback(
  request: IncomingMessage,
  path: string,
  locale: string,
): Promise<Pick<Entry, "parts" | "headers" | "bytes"> | null> {
  const socket = request.socket;
  const host = (socket.localAddress ?? "127.0.0.1").replace(/^::ffff:/, "");
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host,
        port: socket.localPort,
        path,
        method: "GET",
        headers: {
          [FILL_HEADER]: "1",
          cookie: `${LOCALE_COOKIE}=${locale}`,
          "accept-encoding": "identity",
          accept: "text/html",
          host: request.headers.host ?? "localhost",
        },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("error", reject);
        answer.on("end", () => {
          const policy = String(answer.headers["content-security-policy"] ?? "");
          const usedNonce = /'nonce-([^']+)'/.exec(policy)?.[1];
          const type = String(answer.headers["content-type"] ?? "");
          // Only a plain, anonymous, successful HTML page is shared between visitors.
          if (
            answer.statusCode !== 200 ||
            answer.headers["set-cookie"] ||
            !type.startsWith("text/html") ||
            !usedNonce
          ) {
            resolve(null);
            return;
          }
          const body = Buffer.concat(chunks);
          const parts = splitOn(body, Buffer.from(usedNonce));
          const headers: [string, string][] = [];
          for (const name of REPLAYED) {
            const value = answer.headers[name];
            if (typeof value === "string") headers.push([name, value]);
          }
          resolve({ parts, headers, bytes: parts.reduce((sum, part) => sum + part.length, 0) });
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

function splitOn(body: Buffer, separator: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let at = body.indexOf(separator); at !== -1; at = body.indexOf(separator, start)) {
    parts.push(body.subarray(start, at));
    start = at + separator.length;
  }
  parts.push(body.subarray(start));
  return parts;
}
