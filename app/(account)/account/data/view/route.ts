// GET /account/data/view — the readable page of "Download my data": the same
// content as /api/v1/me/data, as one HTML document generated while it is sent.
import { getTranslations } from "next-intl/server";
import { withRoute } from "@/lib/http/route";
import { streamPersonalData } from "@/lib/data-export/stream";
import { fail } from "@/lib/result";

export const GET = withRoute({ access: "signed-in" }, async ({ actor }) => {
  const t = await getTranslations("myData");
  const body = await streamPersonalData(actor.id, { format: "html", t: (key, values) => t(key, values) });
  if (!body) return fail(404, "not_found", "No account.");
  return new Response(body, {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
});
