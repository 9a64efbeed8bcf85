// A short-lived signed link to a hosted flow for one of the service's users (scope consent:write).
import { NextResponse } from "next/server";
import { failureResponse, withRoute } from "@/lib/http/route";
import { now } from "@/lib/clock";
import { createHostedLink } from "@/lib/hosted/links";
import { createHostedLinkSchema } from "@/lib/hosted/schemas";

export const POST = withRoute(
  { access: { apiKey: "consent:write" }, body: createHostedLinkSchema },
  async ({ actor, body }) => {
    const link = await createHostedLink(actor, body, now());
    return link.ok ? NextResponse.json(link.data, { status: 201 }) : failureResponse(link);
  },
);
