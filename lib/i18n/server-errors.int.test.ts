// Services' refusals, decided against a real database, as a Chinese form shows them.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { localizeFailure } from "@/lib/i18n/server-errors";

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let users: typeof import("@/lib/users/create-user");
let deregistration: typeof import("@/lib/rights/deregister");

const meta = {
  ip: "198.51.100.7",
  ipTruncated: "198.51.100.0",
  userAgent: "vitest",
  locale: null,
  gpc: false,
};

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  [users, deregistration] = await Promise.all([
    import("@/lib/users/create-user"),
    import("@/lib/rights/deregister"),
  ]);
});

afterAll(async () => {
  await db?.release();
});

describe("a service's refusal in the reader's language", () => {
  it("an email already taken, by code and by field", async () => {
    const email = `taken-${randomUUID()}@int.accord.test`;
    expect((await users.createUser({ email, password: "correct horse battery" })).ok).toBe(true);
    const again = await users.createUser({ email, password: "correct horse battery" });
    if (again.ok) throw new Error("expected a refusal");
    expect(again).toMatchObject({ status: 409, code: "email_taken" });
    expect(localizeFailure(again, "zh-CN")).toMatchObject({
      status: 409,
      code: "email_taken",
      message: "已有账户使用此电子邮件地址。",
      fieldErrors: { email: ["已有账户使用此电子邮件地址，请直接登录。"] },
    });
  });

  it("a wrong password when closing the account", async () => {
    const created = await users.createUser({
      email: `close-${randomUUID()}@int.accord.test`,
      password: "correct horse battery",
    });
    if (!created.ok) throw new Error(created.message);
    const refused = await deregistration.deregister(
      { actor: created.data, meta },
      { password: "not the password", confirm: "on" },
    );
    if (refused.ok) throw new Error("expected a refusal");
    expect(localizeFailure(refused, "zh-CN").fieldErrors).toEqual({ password: ["密码不正确。"] });
    expect(localizeFailure(refused, "en").fieldErrors).toEqual({ password: ["That password is not right."] });
  });
});
