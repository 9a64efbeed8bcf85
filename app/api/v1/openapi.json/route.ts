// The service API's OpenAPI 3.1 document (public: it describes, it reveals nothing).
import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { withRoute } from "@/lib/http/route";
import { createOpenApiDocument } from "@/lib/service-api/openapi";
import { SERVICE_OPERATIONS } from "@/lib/service-api/operations";

let document: ReturnType<typeof createOpenApiDocument> | undefined;

export const GET = withRoute({ access: "public" }, async () => {
  document ??= createOpenApiDocument(SERVICE_OPERATIONS, env.APP_URL.replace(/\/+$/, ""));
  return NextResponse.json(document, { headers: { "Cache-Control": "public, max-age=300" } });
});
