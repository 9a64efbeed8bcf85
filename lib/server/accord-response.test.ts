import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccordResponse } from "@/lib/server/accord-response";

const PRESET = ["X-Content-Type-Options", "nosniff", "Content-Security-Policy", "default-src 'none'"];

// Each path answers in one of the ways a head can be written.
const answers: Record<string, (response: AccordResponse) => void> = {
  "/object": (r) => r.writeHead(201, { "Content-Type": "application/json", "X-Count": 3 }).end("{}"),
  "/flat": (r) => r.writeHead(200, ["Content-Type", "text/plain", "X-Many", "a"]).end("flat"),
  "/tuples": (r) => r.writeHead(200, [["X-Tuple", "yes"]] as unknown as string[]).end("tuples"),
  "/reason": (r) => r.writeHead(418, "Short and stout", { "X-Reason": "given" }).end(),
  "/implicit": (r) => {
    r.statusCode = 202;
    r.end("implicit");
  },
  "/override": (r) => r.writeHead(200, { "content-security-policy": "default-src 'self'" }).end(),
  "/set-before": (r) => {
    r.setHeader("Retry-After", "5");
    r.writeHead(503, { "Content-Type": "text/plain" }).end();
  },
  "/none": (r) => {
    r.presetHeaders = null;
    r.writeHead(200, { "X-Plain": "1" }).end();
  },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer({ ServerResponse: AccordResponse }, (request, response) => {
    response.presetHeaders = PRESET;
    answers[request.url ?? ""]!(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function get(path: string) {
  const response = await fetch(base + path);
  return {
    status: response.status,
    text: response.statusText,
    headers: response.headers,
    body: await response.text(),
  };
}

describe("AccordResponse preset headers", () => {
  it("go out with a head written with an object, a flat list or pairs, and keep the answer's own", async () => {
    const object = await get("/object");
    expect(object.status).toBe(201);
    expect(object.headers.get("x-content-type-options")).toBe("nosniff");
    expect(object.headers.get("content-security-policy")).toBe("default-src 'none'");
    expect(object.headers.get("x-count")).toBe("3");
    expect(object.body).toBe("{}");
    const flat = await get("/flat");
    expect(flat.headers.get("x-many")).toBe("a");
    expect(flat.headers.get("content-type")).toBe("text/plain");
    expect(flat.headers.get("x-content-type-options")).toBe("nosniff");
    const tuples = await get("/tuples");
    expect(tuples.headers.get("x-tuple")).toBe("yes");
    expect(tuples.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("go out with a reason phrase, and with a head Node writes implicitly", async () => {
    const reason = await get("/reason");
    expect([reason.status, reason.text]).toEqual([418, "Short and stout"]);
    expect(reason.headers.get("x-reason")).toBe("given");
    expect(reason.headers.get("x-content-type-options")).toBe("nosniff");
    const implicit = await get("/implicit");
    expect(implicit.status).toBe(202);
    expect(implicit.headers.get("content-security-policy")).toBe("default-src 'none'");
  });

  it("give way to a header of the same name given by the answer, in any case", async () => {
    const override = await get("/override");
    expect(override.headers.get("content-security-policy")).toBe("default-src 'self'");
    expect(override.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("join headers set earlier with setHeader, and are not sent when unset", async () => {
    const before = await get("/set-before");
    expect(before.status).toBe(503);
    expect(before.headers.get("retry-after")).toBe("5");
    expect(before.headers.get("x-content-type-options")).toBe("nosniff");
    const none = await get("/none");
    expect(none.headers.get("x-plain")).toBe("1");
    expect(none.headers.get("x-content-type-options")).toBeNull();
  });
});
