import { describe, expect, it } from "vitest";
import {
  bodyContentTypeRefusal,
  contentTypeRefusal,
  crossSiteRefusal,
  findNul,
  isJsonContentType,
} from "@/lib/http/request-guards";

const APP = "https://consent.example.com";
const h = (init: Record<string, string>) => new Headers(init);

describe("content type", () => {
  it("wants application/json on POST/PUT/PATCH, and on DELETE with a body", () => {
    expect(isJsonContentType("application/json; charset=UTF-8")).toBe(true);
    expect(isJsonContentType("Application/JSON")).toBe(true);
    expect(isJsonContentType("text/plain")).toBe(false);
    expect(isJsonContentType("application/jsonx")).toBe(false);
    expect(contentTypeRefusal("POST", h({ "content-type": "text/plain" }))?.status).toBe(415);
    expect(contentTypeRefusal("PUT", h({}))?.status).toBe(415);
    expect(contentTypeRefusal("POST", h({ "content-type": "application/json" }))).toBeNull();
    expect(contentTypeRefusal("GET", h({ "content-type": "text/plain" }))).toBeNull();
    expect(contentTypeRefusal("DELETE", h({}))).toBeNull();
    expect(contentTypeRefusal("DELETE", h({ "content-length": "2" }))?.status).toBe(415);
  });

  it("for API keys, wants application/json only when there is a body", () => {
    expect(bodyContentTypeRefusal(h({ "content-length": "2", "content-type": "text/plain" }))?.status).toBe(
      415,
    );
    expect(bodyContentTypeRefusal(h({ "transfer-encoding": "chunked" }))?.status).toBe(415);
    expect(
      bodyContentTypeRefusal(h({ "content-length": "2", "content-type": "application/json" })),
    ).toBeNull();
    expect(bodyContentTypeRefusal(h({}))).toBeNull();
    expect(bodyContentTypeRefusal(h({ "content-length": "0", "content-type": "text/plain" }))).toBeNull();
  });
});

describe("cross-site", () => {
  it("lets same-origin and header-less requests through", () => {
    expect(crossSiteRefusal("POST", h({ origin: APP, "sec-fetch-site": "same-origin" }), APP)).toBeNull();
    expect(crossSiteRefusal("POST", h({}), APP)).toBeNull();
    expect(
      crossSiteRefusal(
        "POST",
        h({ origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }),
        "http://localhost:3000",
      ),
    ).toBeNull();
    expect(crossSiteRefusal("GET", h({ origin: "https://evil.example" }), APP)).toBeNull();
  });

  it("refuses other origins, other ports of the same host, and same-site/cross-site fetches", () => {
    const refused: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "https://consent.example.com:8443" },
      { origin: "http://consent.example.com" },
      { origin: "null" },
      { "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "none" },
    ];
    for (const headers of refused) expect(crossSiteRefusal("POST", h(headers), APP)?.status).toBe(403);
  });
});

describe("NUL", () => {
  it("finds it in nested strings and keys", () => {
    expect(findNul({ a: [1, { b: "x\u0000" }] })).toEqual(["a", 1, "b"]);
    expect(findNul({ "k\u0000": 1 })).toEqual(["k\u0000"]);
    expect(findNul({ a: "fine", b: [true, null, 2] })).toBeNull();
  });

  it("walks cyclic and deep values without overflowing the stack", () => {
    // A server action's decoded arguments can refer to themselves ("$0" in React's reply format).
    const cyclic: Record<string, unknown> = { a: "fine" };
    cyclic.self = cyclic;
    cyclic.list = [cyclic, "x\u0000"];
    expect(findNul(cyclic)).toEqual(["list", 1]);
    let deep: unknown = "y\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findNul(deep)).toHaveLength(100_000);
  });
});
