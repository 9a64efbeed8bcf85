// Published agreement versions for services (scope versions:read).
import { withRoute } from "@/lib/http/route";
import { cacheableResponse } from "@/lib/service-api/caching";
import { versionListJson } from "@/lib/service-api/versions";

export const GET = withRoute({ access: { apiKey: "versions:read" } }, async ({ request }) =>
  cacheableResponse(request, await versionListJson()),
);
