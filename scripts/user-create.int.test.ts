import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";

function userCreate(args: string[], password: string) {
  return spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/user-create.ts", ...args], {
    input: `${password}\n`,
    encoding: "utf8",
    env: process.env,
  });
}

describe("npm run user:create", () => {
  it("creates an account with the role, reading the password from stdin", async () => {
    const email = `cli-${randomUUID()}@int.accord.test`;
    const result = userCreate(["--email", email, "--role", "auditor"], "a long enough passphrase");
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain(`Created AUDITOR ${email}`);
    const user = await prisma.user.findUniqueOrThrow({
      where: { email },
      select: { role: true, passwordHash: true },
    });
    expect(user.role).toBe("AUDITOR");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("refuses a bad role, a weak password and a taken email, writing nothing", async () => {
    const email = `cli-${randomUUID()}@int.accord.test`;
    const badRole = userCreate(["--email", email, "--role", "root"], "a long enough passphrase");
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toContain("--role must be one of");
    const weak = userCreate(["--email", email], "short");
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain("at least 12 characters");
    expect(await prisma.user.count({ where: { email } })).toBe(0);

    expect(userCreate(["--email", email], "a long enough passphrase").status).toBe(0);
    const taken = userCreate(["--email", email], "a long enough passphrase");
    expect(taken.status).toBe(2);
    expect(taken.stderr).toContain("already exists");
  });
});
