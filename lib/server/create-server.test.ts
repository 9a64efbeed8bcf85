import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startAccordServer, type AccordServer, type AccordServerOptions } from "@/lib/server/create-server";
import type { FastPath } from "@/lib/server/fast-paths";
import { CLIENT_ADDRESS_HEADER } from "@/lib/server/internal-headers";

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

let running: AccordServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** A server whose "app" answers with the request headers it was given. */
async function start(options: Partial<AccordServerOptions> = {}): Promise<AccordServer> {
  running = await startAccordServer({
    appUrl: "http://localhost:3000",
    trustedProxies: [],
    port: 0,
    hostname: "127.0.0.1",
    handler: async (request, response) => {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify(request.headers));
    },
    ...options,
  });
  return running;
}

/** Raw node:http, so any header (even a forged internal one) goes out as written. */
function send(
  server: AccordServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const length =
      options.body === undefined ? {} : { "content-length": String(Buffer.byteLength(options.body)) };
    const req = httpRequest(`${server.url}${path}`, {
      method: options.method ?? "GET",
      headers: { ...length, ...options.headers },
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const seenByApp = (answer: Answer) => JSON.parse(answer.body) as Record<string, string>;

describe("client address", () => {
  it("comes from the socket: a client's X-Forwarded-For and forged internal header are dropped", async () => {
    const server = await start();
    const answer = await send(server, "/", {
      headers: {
        "x-forwarded-for": "198.51.100.250",
        "x-real-ip": "198.51.100.251",
        [CLIENT_ADDRESS_HEADER]: "198.51.100.252",
      },
    });
    const headers = seenByApp(answer);
    expect(headers[CLIENT_ADDRESS_HEADER]).toBe("127.0.0.1");
    expect(headers["x-forwarded-for"]).toBeUndefined();
    expect(headers["x-real-ip"]).toBeUndefined();
  });

  it("reads X-Forwarded-For from the right, only through the proxies TRUSTED_PROXIES names", async () => {
    const server = await start({ trustedProxies: ["loopback", "10.0.0.0/8"] });
    // The client (who may lie about anything left of it) went through 10.1.2.3, then us.
    const answer = await send(server, "/", {
      headers: { "x-forwarded-for": "192.0.2.66, 203.0.113.9, 10.1.2.3" },
    });
    const headers = seenByApp(answer);
    expect(headers[CLIENT_ADDRESS_HEADER]).toBe("203.0.113.9");
    expect(headers["x-forwarded-for"]).toBe("192.0.2.66, 203.0.113.9, 10.1.2.3");
  });
});

describe("security headers", () => {
  it("sends a strict CSP with a fresh nonce per request, and gives Next the same policy", async () => {
    const server = await start();
    const first = await send(server, "/", {
      headers: { "content-security-policy": "script-src 'nonce-forged'" },
    });
    const second = await send(server, "/");
    const policy = String(first.headers["content-security-policy"]);
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+=*' 'strict-dynamic'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(seenByApp(first)["content-security-policy"]).toBe(policy);
    expect(second.headers["content-security-policy"]).not.toBe(policy);
    expect(first.headers["x-content-type-options"]).toBe("nosniff");
    expect(first.headers["strict-transport-security"]).toBeUndefined();
  });

  it("sends HSTS when the public address is https", async () => {
    const server = await start({ appUrl: "https://consent.example.com" });
    const answer = await send(server, "/");
    expect(answer.headers["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    expect(answer.headers["content-security-policy"]).toContain("upgrade-insecure-requests");
  });
});

describe("request bodies", () => {
  it("answers 413 above the limit before the app reads anything, as JSON on /api", async () => {
    const server = await start({ maxBodyBytes: 1024 });
    const big = "x".repeat(2048);
    const api = await send(server, "/api/v1/me/consent", {
      method: "POST",
      body: big,
      headers: { "content-type": "application/json" },
    });
    expect(api.status).toBe(413);
    expect(JSON.parse(api.body)).toEqual({
      error: { code: "payload_too_large", message: "The request body is larger than 1 KiB." },
    });
    const action = await send(server, "/admin", {
      method: "POST",
      body: big,
      headers: { "next-action": "0123" },
    });
    expect(action.status).toBe(413);
    const small = await send(server, "/api/v1/me/consent", { method: "POST", body: "{}" });
    expect(small.status).toBe(200);
  });

  it("reads a server action's body itself: refuses what React cannot decode, hands the rest to Next", async () => {
    // The handler stands in for Next: it answers with the body Next's action handler would read.
    const meta = Symbol.for("NextInternalRequestMeta");
    const server = await start({
      handler: async (request, response) => {
        const body = (request as unknown as Record<symbol, { actionBody?: Buffer }>)[meta]?.actionBody;
        response.writeHead(200, { "Content-Type": "text/plain" });
        response.end(body ? `actionBody:${body.toString("utf8")}` : "no actionBody");
      },
    });
    const action = (body: string, contentType = "text/plain;charset=UTF-8") =>
      send(server, "/admin", {
        method: "POST",
        body,
        headers: { "next-action": "0123", "content-type": contentType },
      });
    // The request bench/fuzz-actions.ts found answered 500 ("Connection closed.").
    const dangling = await action(JSON.stringify(["$undefined", { "%": "$9", QJ: "on" }]));
    expect(dangling.status).toBe(400);
    expect(dangling.body).toContain("a reference the request does not carry");
    const fine = JSON.stringify(["$undefined", { title: "$$ off" }]);
    expect((await action(fine)).body).toBe(`actionBody:${fine}`);
    const form =
      '--b\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$undefined","$K1"]\r\n' +
      '--b\r\nContent-Disposition: form-data; name="1_title"\r\n\r\nx\r\n--b--\r\n';
    expect((await action(form, "multipart/form-data; boundary=b")).body).toBe(`actionBody:${form}`);
    // Not an action: the body is left for the app to read.
    const plain = await send(server, "/admin", { method: "POST", body: "{}" });
    expect(plain.body).toBe("no actionBody");
  });

  it("answers 411 to a body without a length", async () => {
    const server = await start();
    const answer = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/api/v1/me/consent`, { method: "POST" });
      req.on("response", (res) => (res.resume(), resolve(res.statusCode ?? 0)));
      req.on("error", reject);
      req.write("{}"); // no Content-Length: node sends it chunked
      req.end();
    });
    expect(answer).toBe(411);
  });
});

describe("paths", () => {
  it("answers 400 to %-escapes that are not UTF-8, before the app (Next answered them 500)", async () => {
    let reached = 0;
    const server = await start({
      handler: async (_request, response) => {
        reached += 1;
        response.writeHead(200).end("app");
      },
    });
    // The exact path bench/fuzz-routes.ts found answered 500.
    const api = await send(server, "/api/v1/versions/%73%97%2C%B0%E8%38?%A0=%F2%91%9B%BC&x=Infinity");
    expect(api.status).toBe(400);
    expect(api.headers["content-type"]).toContain("application/json");
    expect(JSON.parse(api.body)).toMatchObject({ error: { code: "invalid_path" } });
    const page = await send(server, "/agreement/versions/%B0");
    expect(page.status).toBe(400);
    expect(page.body).toContain("not valid");
    expect((await send(server, "/a%zz")).status).toBe(400);
    expect(reached).toBe(0);
    // Valid escapes, UTF-8 included, still reach the app.
    expect((await send(server, "/api/v1/subjects/caf%C3%A9%2Fx/status")).status).toBe(200);
    expect((await send(server, "/agreement?q=%B0")).status).toBe(200);
    expect(reached).toBe(2);
  });
});

describe("fast paths", () => {
  it("answer before the app, with the security headers, or hand the request on", async () => {
    const calls: string[] = [];
    const ping: FastPath = {
      name: "ping",
      matches: (_request, url) => url.pathname.startsWith("/ping"),
      async handle(_request, response, { url, clientAddress }) {
        calls.push(url.pathname);
        if (url.pathname === "/ping/pass") return false;
        response.end(`pong ${clientAddress}`);
        return true;
      },
    };
    const server = await start({ fastPaths: [ping] });
    const answered = await send(server, "/ping");
    expect(answered.body).toBe("pong 127.0.0.1");
    expect(answered.headers["content-security-policy"]).toContain("nonce-");
    const passed = await send(server, "/ping/pass");
    expect(seenByApp(passed)[CLIENT_ADDRESS_HEADER]).toBe("127.0.0.1");
    expect(calls).toEqual(["/ping", "/ping/pass"]);
  });

  it("send a JSON path's answer with a JSON answer's headers, and Next a document's if it hands on", async () => {
    const api: FastPath = {
      name: "api",
      json: true,
      matches: (_request, url) => url.pathname.startsWith("/api/ping"),
      async handle(_request, response, { url, nonce }) {
        if (url.pathname === "/api/ping/pass") return false;
        response.end(`pong [${nonce}]`);
        return true;
      },
    };
    const server = await start({ fastPaths: [api] });
    const answered = await send(server, "/api/ping");
    expect(answered.body).toBe("pong []");
    expect(answered.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(answered.headers["x-content-type-options"]).toBe("nosniff");
    expect(answered.headers["x-frame-options"]).toBe("DENY");
    expect(answered.headers["permissions-policy"]).toBeUndefined();
    expect(answered.headers["cross-origin-opener-policy"]).toBeUndefined();
    const passed = await send(server, "/api/ping/pass");
    expect(passed.headers["content-security-policy"]).toContain("nonce-");
    expect(passed.headers["permissions-policy"]).toContain("camera=()");
    expect(seenByApp(passed)["content-security-policy"]).toBe(passed.headers["content-security-policy"]);
  });

  it("answer a failure 500 without its details: in the API's JSON error format under /api/, as text elsewhere", async () => {
    const failing: FastPath = {
      name: "failing",
      matches: (_request, url) => url.pathname.endsWith("/fail"),
      async handle() {
        throw new Error("secret detail: connection to 10.0.0.7 refused");
      },
    };
    const errors: unknown[][] = [];
    const logged = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const server = await start({ fastPaths: [failing] });
      const api = await send(server, "/api/v1/fail");
      expect(api.status).toBe(500);
      expect(api.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(JSON.parse(api.body)).toEqual({
        error: { code: "internal_error", message: expect.stringContaining("Try again later") },
      });
      expect(api.body).not.toContain("secret");
      const page = await send(server, "/agreement/fail");
      expect(page.status).toBe(500);
      expect(page.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(page.body).not.toContain("secret");
    } finally {
      console.error = logged;
    }
    // The operator sees the error in the log.
    expect(errors).toHaveLength(2);
    expect(String(errors[0]?.[1])).toContain("secret detail");
  });
});
