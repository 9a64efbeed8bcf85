// Many subjects' consent status (scope status:read). Declared in lib/service-api/operations.ts.
import { operationRoute } from "@/lib/service-api/next-route";
import { batchSubjectStatus } from "@/lib/service-api/operations";

export const POST = operationRoute(batchSubjectStatus);
