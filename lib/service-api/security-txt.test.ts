// public/.well-known/security.txt keeps to RFC 9116: a Contact, an Expires
// in the future and at most a year ahead (this fails 30 days before it
// lapses, so someone renews it), and nothing but known fields.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { now } from "@/lib/clock";

const text = readFileSync(new URL("../../public/.well-known/security.txt", import.meta.url), "utf8");
const fields = text
  .split("\n")
  .filter((line) => line.trim() && !line.startsWith("#"))
  .map((line) => {
    const match = /^([A-Za-z-]+): (.+)$/.exec(line);
    if (!match) throw new Error(`not a field: ${line}`);
    return { name: match[1]!.toLowerCase(), value: match[2]! };
  });

describe("security.txt", () => {
  it("has a contact URI and only RFC 9116 fields", () => {
    const known = [
      "acknowledgments",
      "canonical",
      "contact",
      "encryption",
      "expires",
      "hiring",
      "policy",
      "preferred-languages",
    ];
    for (const field of fields) expect(known).toContain(field.name);
    const contacts = fields.filter((f) => f.name === "contact");
    expect(contacts.length).toBeGreaterThan(0);
    for (const contact of contacts) expect(contact.value).toMatch(/^(mailto:|https:\/\/|tel:)/);
  });

  it("expires once, in the future, no more than a year ahead", () => {
    const expires = fields.filter((f) => f.name === "expires");
    expect(expires).toHaveLength(1);
    const at = new Date(expires[0]!.value);
    expect(at.toISOString()).toBe(expires[0]!.value);
    const day = 24 * 3600 * 1000;
    expect(at.getTime() - now().getTime()).toBeGreaterThan(30 * day);
    expect(at.getTime() - now().getTime()).toBeLessThanOrEqual(366 * day);
  });
});
