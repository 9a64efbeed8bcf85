import "server-only";
import { env } from "@/lib/env";
import { fail, ok, type Result } from "@/lib/result";
import type { ApiKeyCaller } from "@/lib/api-keys/authenticate";
import { signHostedLink } from "@/lib/hosted/link-token";
import { isAllowedReturnUrl, returnUrlPrefixes } from "@/lib/hosted/return-urls";
import type { CreateHostedLinkInput } from "@/lib/hosted/schemas";

export interface HostedLink {
  url: string;
  expiresAt: Date;
}

/**
 * A short-lived signed link for one of the service's users to Accord's
 * re-consent prompt or preference centre, refused unless the return URL is
 * on the key's allow-list. Nothing is written: the link is its own record.
 */
export async function createHostedLink(
  caller: Pick<ApiKeyCaller, "id">,
  input: CreateHostedLinkInput,
  at: Date,
): Promise<Result<HostedLink>> {
  const prefixes = await returnUrlPrefixes(caller.id);
  if (!isAllowedReturnUrl(input.returnUrl, prefixes))
    return fail(422, "return_url_not_allowed", "This key may not return users to that URL.", {
      returnUrl: ["Ask an Accord admin to allow this address for your key (Webhooks → Hosted flows)."],
    });
  const signed = await signHostedLink(
    {
      externalId: input.subjectId,
      apiKeyId: caller.id,
      flow: input.flow,
      returnUrl: input.returnUrl,
      state: input.state ?? null,
    },
    at,
    input.ttlSeconds,
  );
  const url = new URL(`/hosted/${input.flow}`, env.APP_URL);
  url.searchParams.set("token", signed.token);
  return ok({ url: url.href, expiresAt: signed.expiresAt });
}
