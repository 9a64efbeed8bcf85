import { AUDIT_ROLES } from "@/lib/auth/actor";
import { invalidInput } from "@/lib/auth/action";
import { queryCheckedByHandler, withRoute } from "@/lib/http/route";
import { explorerQuerySchema } from "@/lib/audit/filters";
import { listConsentEvents, listPurposeKeys } from "@/lib/audit/explorer";
import { ok } from "@/lib/result";

/** The consent log, newest first: ?from&to&user&purpose&action&version&method&cursor&limit&count=1 */
export const GET = withRoute({ access: AUDIT_ROLES, query: queryCheckedByHandler }, async ({ query }) => {
  const parsed = explorerQuerySchema(await listPurposeKeys()).safeParse(query);
  if (!parsed.success) return invalidInput(parsed.error);
  const page = await listConsentEvents(parsed.data);
  return ok({ filters: parsed.data.filters.raw, ...page });
});
