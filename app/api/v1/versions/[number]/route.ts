// One published agreement version, immutable (scope versions:read).
import { withRoute } from "@/lib/http/route";
import { invalidInput } from "@/lib/auth/action";
import { fail } from "@/lib/result";
import { cacheableResponse } from "@/lib/service-api/caching";
import { versionNumberParamSchema } from "@/lib/service-api/schemas";
import { publishedVersionJson } from "@/lib/service-api/versions";

export const GET = withRoute<never, never, { number: string }, { apiKey: "versions:read" }>(
  { access: { apiKey: "versions:read" } },
  async ({ request, params }) => {
    const parsed = versionNumberParamSchema.safeParse(params);
    if (!parsed.success) return invalidInput(parsed.error);
    const version = await publishedVersionJson(parsed.data.number);
    if (!version)
      return fail(404, "version_not_found", `There is no published version ${parsed.data.number}.`);
    return cacheableResponse(request, version);
  },
);
