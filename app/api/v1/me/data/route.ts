// GET /api/v1/me/data[?download=1] — everything held about the signed-in user
// as one JSON document (docs/rights.md, "Download my data"), generated while
// it is sent. With download=1 it comes as a file.
import { z } from "zod";
import { withRoute } from "@/lib/http/route";
import { personalDataFilename, streamPersonalData } from "@/lib/data-export/stream";
import { fail } from "@/lib/result";

const querySchema = z.strictObject({ download: z.literal("1").optional() });

export const GET = withRoute({ access: "signed-in", query: querySchema }, async ({ actor, query }) => {
  const body = await streamPersonalData(actor.id, { format: "json" });
  if (!body) return fail(404, "not_found", "No account.");
  return new Response(body, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...(query.download
        ? { "content-disposition": `attachment; filename="${personalDataFilename("json")}"` }
        : {}),
    },
  });
});
