// Sends a "webhook.test" message to one endpoint (scope webhooks:manage).
import type { z } from "zod";
import { withRoute } from "@/lib/http/route";
import { sendTestEvent } from "@/lib/webhooks/endpoints";
import { endpointParam, keyContext } from "@/lib/webhooks/api";

const access = { apiKey: "webhooks:manage" } as const;

export const POST = withRoute<z.ZodUndefined, z.ZodUndefined, { endpointId: string }, typeof access>(
  { access },
  async ({ actor, meta, params }) => {
    const id = endpointParam(params);
    if (typeof id !== "string") return id;
    return sendTestEvent(keyContext(actor, meta), id);
  },
);
