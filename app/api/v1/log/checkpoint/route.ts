// GET /api/v1/log/checkpoint — the log's latest signed checkpoint (C2SP
// tlog-checkpoint in a signed note), with the witnesses' cosignatures.
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route";
import { latestCheckpoint, publishedNote } from "@/lib/ledger/log/public-log";
import { fail } from "@/lib/result";

export const GET = withRoute({ access: "public" }, async () => {
  const checkpoint = await latestCheckpoint();
  if (!checkpoint) return fail(404, "no_checkpoint", "The log has not signed a checkpoint yet.");
  return new NextResponse(await publishedNote(checkpoint), {
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
});
