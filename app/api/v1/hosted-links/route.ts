// A short-lived signed link to a hosted flow for one of the service's users (scope consent:write).
import type { z } from "zod";
import { NextResponse } from "next/server";
import { failureResponse, withRoute } from "@/lib/http/route";
import { now } from "@/lib/clock";
import { createHostedLink } from "@/lib/hosted/links";
import { createHostedLinkSchema, type hostedLinkSchema } from "@/lib/hosted/schemas";

export const POST = withRoute(
  { access: { apiKey: "consent:write" }, body: createHostedLinkSchema },
  async ({ actor, body }) => {
    const link = await createHostedLink(actor, body, now());
    if (!link.ok) return failureResponse(link);
    const answer: z.input<typeof hostedLinkSchema> = {
      url: link.data.url,
      expiresAt: link.data.expiresAt.toISOString(),
    };
    return NextResponse.json(answer, { status: 201 });
  },
);
