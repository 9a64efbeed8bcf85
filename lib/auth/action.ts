import "server-only";
import type { z } from "zod";
import { getActor, type Actor } from "@/lib/auth/actor";
import { requestMeta, type RequestMeta } from "@/lib/http/request-meta";
import { nulRefusal } from "@/lib/http/request-guards";
import { fail, type Failure, type Result } from "@/lib/result";
import { invalidInput } from "@/lib/validation/field-errors";
import { localizeFailure } from "@/lib/i18n/server-errors";
import { DATABASE_UNAVAILABLE_BODY, isDatabaseUnavailable, reportDatabaseOutage } from "@/lib/db/outage";
import { resolveLocale } from "@/lib/i18n/request";
import { defaultLocale, type Locale } from "@/lib/i18n/locales";
import type { Role } from "@/lib/generated/prisma/enums";

export type ActionState<T> = Result<T> | null;

type Access = "public" | "signed-in" | readonly Role[];

interface Context<A extends Access> {
  actor: A extends "public" ? Actor | null : Actor;
  meta: RequestMeta;
}

export { invalidInput, zodFieldErrors } from "@/lib/validation/field-errors";

/** Checks the actor's access; returns the failure to report, or the actor. */
export async function authorize(access: Access): Promise<Failure | { actor: Actor | null }> {
  return checkAccess(await getActor(), access);
}

/** The access rule itself, for a caller found some other way (route handlers read the request's cookie). */
export function checkAccess(actor: Actor | null, access: Access): Failure | { actor: Actor | null } {
  if (access === "public") return { actor };
  if (!actor) return fail(401, "unauthenticated", "Sign in to continue.");
  if (access !== "signed-in" && !access.includes(actor.role)) {
    return fail(403, "forbidden", "You do not have permission to do this.");
  }
  return { actor };
}

/**
 * Every server action enters here: authentication, authorisation and
 * validation happen before the body runs. Works with useActionState
 * (prevState, FormData) and with a plain object argument.
 */
export function defineAction<S extends z.ZodType, T, A extends Access>(
  options: { access: A; schema: S },
  body: (input: z.infer<S>, context: Context<A>) => Promise<Result<T>>,
) {
  const run = async (raw: FormData | z.input<S>): Promise<Result<T>> => {
    const access = await authorize(options.access);
    if ("ok" in access) return access;
    const input = raw instanceof FormData ? formFields(raw) : raw;
    // Postgres text cannot hold NUL: refuse it by field instead of failing on write.
    const nul = nulRefusal(input);
    if (nul) return nul;
    const parsed = options.schema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error);
    try {
      return await body(parsed.data, { actor: access.actor, meta: await requestMeta() } as Context<A>);
    } catch (error) {
      // Unreachable or too busy to finish a transaction (nothing was committed): the
      // form says so and the person can try again, instead of an error page.
      if (!isDatabaseUnavailable(error)) throw error;
      reportDatabaseOutage("action", error);
      const { code, message } = DATABASE_UNAVAILABLE_BODY.error;
      return fail(503, code, message);
    }
  };
  // A form shows the failure in the page's language; its code and status stay as they are.
  return async (_previous: ActionState<T>, raw: FormData | z.input<S>): Promise<Result<T>> => {
    const result = await run(raw);
    return result.ok ? result : localizeFailure(result, await pageLocale());
  };
}

/** The language the page that called the action is in (lib/i18n/request.ts); English outside a request. */
async function pageLocale(): Promise<Locale> {
  try {
    return await resolveLocale();
  } catch {
    return defaultLocale;
  }
}

/** A form's own fields: React's bookkeeping fields ($ACTION_…) are not input. */
function formFields(data: FormData): Record<string, FormDataEntryValue> {
  return Object.fromEntries([...data.entries()].filter(([name]) => !name.startsWith("$ACTION")));
}

/** What a form component receives: a server action usable with useActionState. */
export type FormAction<T> = (state: ActionState<T>, data: FormData) => Promise<ActionState<T>>;
