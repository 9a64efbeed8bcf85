// Sends a "webhook.test" message to one endpoint (scope webhooks:manage).
import type { z } from "zod";
import { withRoute } from "@/lib/http/route";
import type { Result } from "@/lib/result";
import { sendTestEvent } from "@/lib/webhooks/endpoints";
import { endpointParam, keyContext } from "@/lib/webhooks/api";
import type { testEventSentSchema } from "@/lib/webhooks/schemas";

const access = { apiKey: "webhooks:manage" } as const;

export const POST = withRoute<z.ZodUndefined, z.ZodUndefined, { endpointId: string }, typeof access>(
  { access },
  async ({ actor, meta, params }): Promise<Result<z.input<typeof testEventSentSchema>>> => {
    const id = endpointParam(params);
    if (typeof id !== "string") return id;
    return sendTestEvent(keyContext(actor, meta), id);
  },
);
