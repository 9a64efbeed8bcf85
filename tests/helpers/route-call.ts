import { NextRequest } from "next/server";

export const APP_ORIGIN = "http://localhost:3000";

type Handler<P> = (request: NextRequest, segment: { params: Promise<P> }) => Promise<Response>;

export interface CallOptions<P> {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as given: a string, or an object that is JSON-encoded. */
  body?: unknown;
  params?: P;
}

/** Calls a route handler in-process, as Next would, with the exact request of a finding. */
export async function callRoute<P = Record<string, string>>(
  handler: Handler<P>,
  path: string,
  { method = "GET", headers = {}, body, params }: CallOptions<P> = {},
): Promise<{ status: number; json: unknown; text: string; headers: Headers }> {
  const text = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  const request = new NextRequest(new URL(path, APP_ORIGIN), {
    method,
    headers: {
      host: new URL(APP_ORIGIN).host,
      ...(text === undefined ? {} : { "content-length": String(Buffer.byteLength(text)) }),
      ...headers,
    },
    body: text,
  });
  const response = await handler(request, { params: Promise.resolve((params ?? {}) as P) });
  const raw = await response.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(raw);
  } catch {
    // not JSON (a CSV export, say)
  }
  return { status: response.status, json, text: raw, headers: response.headers };
}
