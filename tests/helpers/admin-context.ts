import { randomUUID } from "node:crypto";
import type { AdminContext } from "@/lib/agreements/drafts";

/**
 * A new ADMIN, created through the service layer, as the actor of admin
 * service calls. Call it after usePrivateAppDatabase, so the user lands there.
 */
export async function createAdminContext(meta: AdminContext["meta"]): Promise<AdminContext> {
  const { createUser } = await import("@/lib/users/create-user");
  const created = await createUser({
    email: `admin-${randomUUID()}@int.accord.test`,
    password: "correct horse battery",
    role: "ADMIN",
  });
  if (!created.ok) throw new Error(created.message);
  return { actor: created.data, meta };
}
