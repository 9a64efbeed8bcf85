// Sends one delivery again, with its message id (scope webhooks:manage).
import type { z } from "zod";
import { withRoute } from "@/lib/http/route";
import type { Result } from "@/lib/result";
import { replayDelivery } from "@/lib/webhooks/endpoints";
import { deliveryParam, endpointParam, keyContext } from "@/lib/webhooks/api";
import type { deliveryReplayedSchema } from "@/lib/webhooks/schemas";

const access = { apiKey: "webhooks:manage" } as const;
type Params = { endpointId: string; deliveryId: string };

export const POST = withRoute<z.ZodUndefined, z.ZodUndefined, Params, typeof access>(
  { access },
  async ({ actor, meta, params }): Promise<Result<z.input<typeof deliveryReplayedSchema>>> => {
    const endpointId = endpointParam(params);
    if (typeof endpointId !== "string") return endpointId;
    const deliveryId = deliveryParam(params);
    if (typeof deliveryId !== "string") return deliveryId;
    return replayDelivery(keyContext(actor, meta), deliveryId, endpointId);
  },
);
