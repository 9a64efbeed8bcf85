// Record a decision made in the service's product (scope consent:write). Declared in lib/service-api/operations.ts.
import { operationRoute } from "@/lib/service-api/next-route";
import { recordConsentDecision } from "@/lib/service-api/operations";

export const POST = operationRoute(recordConsentDecision);
