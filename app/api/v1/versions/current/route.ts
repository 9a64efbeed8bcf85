// The agreement version in effect now, with its text and purposes (scope versions:read).
import { withRoute } from "@/lib/http/route";
import { fail } from "@/lib/result";
import { cacheableResponse } from "@/lib/service-api/caching";
import { currentVersionJson } from "@/lib/service-api/versions";

export const GET = withRoute({ access: { apiKey: "versions:read" } }, async ({ request }) => {
  const current = await currentVersionJson();
  if (!current) return fail(404, "no_version_in_effect", "No agreement version is in effect yet.");
  return cacheableResponse(request, current);
});
