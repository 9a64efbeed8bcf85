import { NextResponse } from "next/server";
import { AUDIT_ROLES } from "@/lib/auth/actor";
import { withRoute } from "@/lib/http/route";
import { getExportManifest } from "@/lib/audit/export/manifests";
import { fail } from "@/lib/result";

/** A finished export's manifest (?download=1 saves it as <export>.manifest.json). */
export const GET = withRoute<never, never, { id: string }>(
  { access: AUDIT_ROLES },
  async ({ params, request }) => {
    const manifest = await getExportManifest(params.id);
    if (!manifest)
      return fail(
        404,
        "not_found",
        "No finished export has this id (it may still be running, or was cancelled).",
      );
    const download = request.nextUrl.searchParams.get("download") === "1";
    return NextResponse.json(manifest, {
      headers: {
        "Cache-Control": "no-store",
        ...(download
          ? {
              "Content-Disposition": `attachment; filename="consent-export-${manifest.exportId}.manifest.json"`,
            }
          : {}),
      },
    });
  },
);
