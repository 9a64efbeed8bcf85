import { AUDIT_ROLES } from "@/lib/auth/actor";
import { invalidInput } from "@/lib/auth/action";
import { queryCheckedByHandler, withRoute } from "@/lib/http/route";
import {
  acceptanceOverTime,
  dashboardQuerySchema,
  purposeActivity,
  reconsentProgress,
} from "@/lib/audit/dashboards";
import { ok } from "@/lib/result";

/** The dashboards' numbers: ?weeks=4..104 (default 12). */
export const GET = withRoute({ access: AUDIT_ROLES, query: queryCheckedByHandler }, async ({ query }) => {
  const parsed = dashboardQuerySchema.safeParse(query);
  if (!parsed.success) return invalidInput(parsed.error);
  const { weeks } = parsed.data;
  const [acceptance, reconsent, purposes] = await Promise.all([
    acceptanceOverTime(weeks),
    reconsentProgress(),
    purposeActivity(weeks),
  ]);
  return ok({ weeks, acceptance, reconsent, purposes });
});
