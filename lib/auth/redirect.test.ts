// Issue 9, finding 1: GET /signin?callbackUrl=/%5Cevil.example redirected off-site.
import { describe, expect, it } from "vitest";
import { safeReturnPath } from "@/lib/auth/redirect";

const APP = "http://localhost:3000";
const safe = (value: unknown) => safeReturnPath(value, APP, "/fallback");

describe("safeReturnPath (finding 1)", () => {
  it("keeps paths on our own origin, with query and fragment", () => {
    expect(safe("/account/consent?x=1#top")).toBe("/account/consent?x=1#top");
    expect(safe("http://localhost:3000/audit")).toBe("/audit");
    expect(safe("account")).toBe("/account");
  });

  it.each([
    "/\\evil.example",
    "\\\\evil.example",
    "//evil.example",
    "/.//evil.example",
    "///evil.example",
    "https://evil.example/",
    "http://localhost:3001/",
    "http://localhost:3000@evil.example/",
    "javascript:alert(1)",
    "data:text/html,x",
    "/account\r\nSet-Cookie: x=1",
    "/account\nx",
    "/\u0000",
    "\t//evil.example",
    "",
    "x".repeat(3000),
  ])("refuses %j", (value) => {
    expect(safe(value)).toBe("/fallback");
  });

  it("refuses what is not a string", () => {
    expect(safe(["/a", "/b"])).toBe("/fallback");
    expect(safe(undefined)).toBe("/fallback");
  });
});
