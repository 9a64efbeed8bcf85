// Requests the custom server may answer before Next.js, for hot paths where
// Next's per-request work dominates (an anonymous agreement page from cached
// bytes, hot API reads). A fast path sees the request after the server has
// worked out the client address and set the security headers on the response
// (CSP included, with this request's nonce), so it keeps them; it returns
// false to let Next answer after all.
import type { IncomingMessage, ServerResponse } from "node:http";
import { agreementPagesFastPath } from "@/lib/server/fast-paths/agreement-pages";
import { serviceApiFastPath } from "@/lib/server/fast-paths/service-api";
import { meConsentFastPath } from "@/lib/server/fast-paths/service-me-consent";

export interface FastPathContext {
  url: URL;
  /** The client's address (socket, then TRUSTED_PROXIES). */
  clientAddress: string;
  /** This response's CSP nonce, for any inline script the answer carries (empty for a JSON path). */
  nonce: string;
}

export interface FastPath {
  /** Named in logs and tests. */
  name: string;
  /**
   * Answers only JSON: the server sends it a JSON answer's security headers
   * (jsonSecurityHeaders) and makes no CSP nonce (the context's is empty).
   * If it hands the request to Next, Next gets a document's headers.
   */
  json?: boolean;
  matches(request: IncomingMessage, url: URL): boolean;
  /** Answers the request, or returns false (before writing anything) to hand it to Next. */
  handle(request: IncomingMessage, response: ServerResponse, context: FastPathContext): Promise<boolean>;
}

/** The fast paths `npm start` serves, in order; the first that matches and answers wins. */
export const defaultFastPaths: readonly FastPath[] = [
  serviceApiFastPath(() => import("@/lib/service-api/operations").then((m) => m.SERVICE_OPERATIONS)),
  meConsentFastPath,
  agreementPagesFastPath(),
];
