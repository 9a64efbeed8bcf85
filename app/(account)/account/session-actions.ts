"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import type { Result } from "@/lib/result";
import { bumpSessionVersion, SESSION_COOKIE, USE_SECURE_COOKIES } from "@/lib/auth/session";

/** Ends every session of the signed-in user, on every device, this one included. */
export const signOutEverywhereAction = defineAction(
  { access: "signed-in", schema: z.strictObject({}) },
  async (_input, { actor }): Promise<Result<null>> => {
    await bumpSessionVersion(actor.id);
    (await cookies()).set(SESSION_COOKIE, "", {
      maxAge: 0,
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: USE_SECURE_COOKIES,
    });
    // A relative redirect: the browser stays on the host it used.
    redirect("/signin");
  },
);
