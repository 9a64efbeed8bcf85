import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { apiKeySha256 } from "@/lib/api-keys/key-format";

function apikeyCreate(args: string[]) {
  return spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/apikey-create.ts", ...args], {
    encoding: "utf8",
    env: process.env,
  });
}

describe("npm run apikey:create", () => {
  it("creates a key with its scopes and limit, prints it once, stores its hash and audits it", async () => {
    const name = `cli ${randomUUID()}`;
    const result = apikeyCreate([
      "--name",
      name,
      "--scope",
      "status:read",
      "--scope",
      "webhooks:manage",
      "--rate-limit",
      "120",
      "--json",
    ]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout) as { id: string; key: string; scopes: string[] };
    expect(printed.key).toMatch(/^acc_[A-Za-z0-9_-]{43}$/);
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: printed.id } });
    expect(row).toMatchObject({
      name,
      secretSha256: apiKeySha256(printed.key),
      scopes: ["STATUS_READ", "WEBHOOKS_MANAGE"],
      rateLimitPerMinute: 120,
    });
    const audit = await prisma.auditLogEntry.findFirstOrThrow({ where: { targetId: printed.id } });
    expect(audit).toMatchObject({ action: "api_key.created", actorId: null });
    expect(audit.details).toMatchObject({ via: "cli", scopes: ["status:read", "webhooks:manage"] });
  });

  it("refuses an unknown scope, a missing name and a bad limit, writing nothing", async () => {
    const before = await prisma.apiKey.count();
    const unknownScope = apikeyCreate(["--name", "x", "--scope", "admin:all"]);
    expect(unknownScope.status).toBe(2);
    expect(unknownScope.stderr).toContain("--scope");
    expect(unknownScope.stderr).toContain("status:read, consent:write, versions:read, webhooks:manage");
    const noName = apikeyCreate(["--scope", "status:read"]);
    expect(noName.status).toBe(2);
    expect(noName.stderr).toContain("--name");
    const badLimit = apikeyCreate(["--name", "x", "--scope", "status:read", "--rate-limit", "0"]);
    expect(badLimit.status).toBe(2);
    expect(badLimit.stderr).toContain("--rate-limit");
    expect(await prisma.apiKey.count()).toBe(before);
  });
});
