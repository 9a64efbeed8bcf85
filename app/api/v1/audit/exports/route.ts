import { AUDIT_ROLES } from "@/lib/auth/actor";
import { invalidInput } from "@/lib/auth/action";
import { queryCheckedByHandler, withRoute } from "@/lib/http/route";
import { exportQuerySchema } from "@/lib/audit/filters";
import { listPurposeKeys } from "@/lib/audit/explorer";
import { startExport } from "@/lib/audit/export/export-stream";

/**
 * Streams the consent events matching the filters as CSV or NDJSON
 * (?format=csv|ndjson&exportId=<uuid>&filters...). The manifest is the NDJSON
 * file's last line, and for both formats /api/v1/audit/exports/<id>/manifest.
 */
export const GET = withRoute(
  { access: AUDIT_ROLES, query: queryCheckedByHandler },
  async ({ query, actor, meta }) => {
    const parsed = exportQuerySchema(await listPurposeKeys()).safeParse(query);
    if (!parsed.success) return invalidInput(parsed.error);
    const started = await startExport({ query: parsed.data, actor, meta });
    if (!started.ok) return started;
    const { body, contentType, filename, exportId } = started.data;
    return new Response(body, {
      headers: {
        "Content-Type": contentType,
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "no-store",
        "X-Export-Id": exportId,
        "X-Manifest-Url": `/api/v1/audit/exports/${exportId}/manifest`,
      },
    });
  },
);
