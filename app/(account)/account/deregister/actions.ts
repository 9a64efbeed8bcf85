"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/auth/action";
import { cancelDeregistration, deregister } from "@/lib/rights/deregister";
import { cancelDeregistrationSchema, deregisterSchema } from "@/lib/rights/schemas";
import { LOCALE_COOKIE } from "@/lib/i18n/locales";

// next-auth's session cookie, on http and on https.
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

export const deregisterAction = defineAction(
  { access: "signed-in", schema: deregisterSchema },
  async (input, context) => {
    const result = await deregister(context, input);
    if (!result.ok) return result;
    // The account no longer signs anyone in (every request re-reads it); the
    // browser also forgets the session and the language it chose (§6.5).
    const jar = await cookies();
    for (const name of [...SESSION_COOKIES, LOCALE_COOKIE]) jar.delete(name);
    redirect("/account/deregister/closed");
  },
);

export const cancelDeregistrationAction = defineAction(
  { access: "public", schema: cancelDeregistrationSchema },
  async (input, { meta }) => cancelDeregistration(meta, input),
);
