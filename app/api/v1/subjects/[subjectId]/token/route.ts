// A signed consent token for one subject (scope status:read). Declared in lib/service-api/operations.ts.
import { operationRoute } from "@/lib/service-api/next-route";
import { issueSubjectToken } from "@/lib/service-api/operations";

export const POST = operationRoute(issueSubjectToken);
