import { NextResponse } from "next/server";
import { z } from "zod";
import { AUDIT_ROLES } from "@/lib/auth/actor";
import { withRoute } from "@/lib/http/route";
import { getExportManifest } from "@/lib/audit/export/manifests";
import { fail } from "@/lib/result";

const querySchema = z.strictObject({
  download: z.enum(["1"], { error: "Use download=1 to save the manifest as a file." }).optional(),
});

/** A finished export's manifest (?download=1 saves it as <export>.manifest.json). */
export const GET = withRoute<typeof querySchema, never, { id: string }>(
  { access: AUDIT_ROLES, query: querySchema },
  async ({ params, query }) => {
    const manifest = await getExportManifest(params.id);
    if (!manifest)
      return fail(
        404,
        "not_found",
        "No finished export has this id (it may still be running, or was cancelled).",
      );
    const download = query.download === "1";
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
