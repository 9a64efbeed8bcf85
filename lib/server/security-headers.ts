// Security headers on every response, from one place (pages, API, fast paths).
// The Content-Security-Policy carries a fresh nonce per request: the server
// also puts the policy on the *request*, where Next.js reads the nonce and
// stamps it on the scripts it renders (its inline bootstrap included).
import { randomBytes } from "node:crypto";

export interface SecurityHeaderOptions {
  /** The public address: HSTS is sent when it is https. */
  appUrl: string;
  /** next dev needs eval for its overlay and fast refresh. */
  dev?: boolean;
}

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * A strict policy: scripts only with this response's nonce (and what they load,
 * 'strict-dynamic'), nothing framed, no plugins, forms and fetches to this
 * origin only. Styles allow inline because charts set style attributes.
 */
export function contentSecurityPolicy(nonce: string, { appUrl, dev = false }: SecurityHeaderOptions): string {
  const https = new URL(appUrl).protocol === "https:";
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** The headers every response carries (the CSP is added per request). */
export function staticSecurityHeaders({ appUrl }: SecurityHeaderOptions): Record<string, string> {
  const https = new URL(appUrl).protocol === "https:";
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    // Two years, as the HSTS preload list asks; only when the public address is https.
    ...(https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/**
 * The headers of a JSON answer from a fast path (the service API, the
 * preference read): nothing in it runs or renders, so its policy allows
 * nothing and needs no nonce, and the headers that only govern documents
 * (Permissions-Policy, Cross-Origin-Opener-Policy) are left out, as the OWASP
 * REST Security Cheat Sheet lists them. The rest is the same as a page's.
 */
const DOCUMENT_ONLY_HEADERS = new Set(["Permissions-Policy", "Cross-Origin-Opener-Policy"]);

export function jsonSecurityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const shared = Object.entries(staticSecurityHeaders(options)).filter(
    ([name]) => !DOCUMENT_ONLY_HEADERS.has(name),
  );
  return {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    ...Object.fromEntries(shared),
  };
}
