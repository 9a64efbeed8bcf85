// The server half of bench/rights-export.ts: a bare node:http server in its
// own process (so its memory can be read alone) answering
//   GET /stream/<subjectId>    lib/data-export/stream.ts, what /api/v1/me/data sends
//   GET /buffered/<subjectId>  the baseline: every event read into memory, then one JSON.stringify
// Bench-only; never part of the app.
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { ensureSecret, ensureSigningKey } from "../scripts/lib/runtime-env";

ensureSecret();
ensureSigningKey();
const { streamPersonalData } = await import("@/lib/data-export/stream");
const { pool } = await import("@/lib/db");

const port = Number(process.env.BENCH_PORT ?? 4161);
createServer(async (request, response) => {
  const [, kind, subjectId] = new URL(request.url ?? "/", "http://bench").pathname.split("/");
  try {
    if (kind === "stream" && subjectId) {
      const body = await streamPersonalData(subjectId, { format: "json" });
      if (!body) return void response.writeHead(404).end();
      response.writeHead(200, { "content-type": "application/json" });
      Readable.fromWeb(body as import("node:stream/web").ReadableStream).pipe(response);
    } else if (kind === "buffered" && subjectId) {
      const { rows } = await pool.query(`SELECT * FROM consent_events WHERE subject_id = $1 ORDER BY seq`, [
        subjectId,
      ]);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ consentEvents: rows }, (_k, v) => (typeof v === "bigint" ? String(v) : v)),
      );
    } else response.writeHead(404).end();
  } catch (error) {
    console.error(error);
    response.writeHead(500).end();
  }
}).listen(port, "127.0.0.1", () => console.log(`listening ${port}`));
