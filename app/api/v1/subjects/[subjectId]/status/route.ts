// One subject's consent status (scope status:read). Declared in lib/service-api/operations.ts.
import { operationRoute } from "@/lib/service-api/next-route";
import { getSubjectStatus } from "@/lib/service-api/operations";

export const GET = operationRoute(getSubjectStatus);
