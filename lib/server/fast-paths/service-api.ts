// The service API's operations answered by the custom server itself, before
// Next.js (docs/integration.md, "The hot path"): the same declarations and
// code as the route files under app/api/v1/subjects, without Next's
// per-request work.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastPath } from "@/lib/server/fast-paths";
import type { ServiceOperation } from "@/lib/service-api/operation";
import type { ServiceCall } from "@/lib/service-api/execute";

interface CompiledOperation {
  operation: ServiceOperation;
  pattern: RegExp;
  names: string[];
}

function compile(operation: ServiceOperation): CompiledOperation {
  const names: string[] = [];
  const source = operation.path
    .split(/(\{[A-Za-z]+\})/)
    .map((part) => {
      const name = /^\{([A-Za-z]+)\}$/.exec(part)?.[1];
      if (!name) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
      names.push(name);
      return "([^/]+)";
    })
    .join("");
  return { operation, pattern: new RegExp(`^${source}$`), names };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not valid percent-encoding: the schema refuses it as it stands
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** A request as the operations see it (a class: no closures made per request). */
class NodeServiceCall implements ServiceCall {
  constructor(
    readonly params: Record<string, string>,
    private readonly request: IncomingMessage,
  ) {}

  header(name: string): string | null {
    const value = this.request.headers[name];
    return Array.isArray(value) ? value.join(", ") : (value ?? null);
  }

  readBody(): Promise<string> {
    return readBody(this.request);
  }
}

/** One fast path serving `operations` (loaded lazily: the server starts before the app's modules). */
export function serviceApiFastPath(load: () => Promise<readonly ServiceOperation[]>): FastPath {
  // Loaded once (the server starts before the app's modules), then used
  // without an await per request.
  type Loaded = { routes: CompiledOperation[]; execute: typeof import("@/lib/service-api/execute") };
  let loaded: Loaded | undefined;
  let loading: Promise<Loaded> | undefined;
  const ready = async (): Promise<Loaded> =>
    (loaded ??= await (loading ??= Promise.all([load(), import("@/lib/service-api/execute")]).then(
      ([operations, execute]) => ({ routes: operations.map(compile), execute }),
    )));
  const find = (routes: CompiledOperation[], request: IncomingMessage, url: URL) => {
    for (const route of routes) {
      if (route.operation.method !== request.method) continue;
      const match = route.pattern.exec(url.pathname);
      if (match) return { route, match };
    }
    return undefined;
  };
  return {
    name: "service-api",
    json: true,
    matches: (_request, url) => url.pathname.startsWith("/api/v1/subjects/"),
    async handle(request: IncomingMessage, response: ServerResponse, { url }) {
      const { routes, execute } = loaded ?? (await ready());
      const found = find(routes, request, url);
      if (!found) return false;
      const params: Record<string, string> = {};
      const { names } = found.route;
      for (let i = 0; i < names.length; i++) params[names[i]!] = decode(found.match[i + 1] ?? "");
      const answer = await execute.executeOperation(
        found.route.operation,
        new NodeServiceCall(params, request),
      );
      const body = JSON.stringify(answer.body);
      // One flat list: the server adds its JSON security headers in the same step.
      const head: string[] = [];
      for (const name in answer.headers) head.push(name, answer.headers[name]!);
      head.push("Content-Type", "application/json", "Content-Length", String(Buffer.byteLength(body)));
      head.push("Cache-Control", "no-store");
      response.writeHead(answer.status, head);
      response.end(body);
      return true;
    },
  };
}
