import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUser } from "@/lib/users/create-user";
import { authenticate } from "@/lib/users/authenticate";
import { prisma } from "@/lib/db";

const email = () => `user-${randomUUID()}@int.accord.test`;

describe("accounts", () => {
  it("stores an argon2id hash, never the password, and authenticates with it", async () => {
    const address = email();
    const created = await createUser({ email: address, password: "correct horse battery staple" });
    expect(created.ok).toBe(true);
    const row = await prisma.user.findUniqueOrThrow({
      where: { email: address },
      select: { passwordHash: true },
    });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.passwordHash).not.toContain("correct horse");
    expect(await authenticate(address, "correct horse battery staple")).toMatchObject({
      email: address,
      role: "USER",
    });
    expect(await authenticate(address, "wrong password!!")).toBeNull();
    expect(await authenticate(email(), "correct horse battery staple")).toBeNull();
  });

  it("does not return the password hash unless asked", async () => {
    const address = email();
    await createUser({ email: address, password: "correct horse battery staple" });
    const user = await prisma.user.findUniqueOrThrow({ where: { email: address } });
    expect(user).not.toHaveProperty("passwordHash");
  });

  it("refuses a second account with the same email, with a field error", async () => {
    const address = email();
    await createUser({ email: address, password: "correct horse battery staple" });
    const again = await createUser({ email: address, password: "another good passphrase" });
    expect(again).toMatchObject({ ok: false, status: 409, fieldErrors: { email: [expect.any(String)] } });
    expect(await prisma.user.count({ where: { email: address } })).toBe(1);
  });

  it("deregistered accounts cannot sign in", async () => {
    const address = email();
    await createUser({ email: address, password: "correct horse battery staple" });
    await prisma.user.update({ where: { email: address }, data: { deregisteredAt: new Date() } });
    expect(await authenticate(address, "correct horse battery staple")).toBeNull();
  });
});

// Sign-in limits: tests/security/rate-limits.int.test.ts.
