// The baseline of bench/service-api.ts: a bare node:http server with a pg
// pool on the same database, one statement per request and nothing else.
//   GET  /select?id=<uuid>  SELECT one consent_subjects row by its key
//   POST /insert            INSERT one row into bench_rows
//   BENCH_DATABASE_URL=… PORT=… node --import tsx bench/service-bare-server.ts
import { createServer } from "node:http";
import pg from "pg";

const pool = new pg.Pool({
  connectionString: process.env.BENCH_DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 16),
});

createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://bare.invalid");
  const answer = (rows: unknown[]) => {
    const body = JSON.stringify(rows[0] ?? null);
    response.writeHead(200, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(body),
    });
    response.end(body);
  };
  const failed = (error: Error) => {
    response.writeHead(500).end(error.message);
  };
  if (request.method === "GET" && url.pathname === "/select") {
    pool
      .query({
        name: "bare-select",
        text: "SELECT subject_id, seq, head_hash, accepted_version_number FROM consent_subjects WHERE subject_id = $1",
        values: [url.searchParams.get("id")],
      })
      .then(({ rows }) => answer(rows), failed);
    return;
  }
  if (request.method === "POST" && url.pathname === "/insert") {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      pool
        .query({
          name: "bare-insert",
          text: "INSERT INTO bench_rows (id, body) VALUES (gen_random_uuid(), $1) RETURNING id",
          values: [Buffer.concat(chunks).toString("utf8")],
        })
        .then(({ rows }) => answer(rows), failed);
    });
    return;
  }
  response.writeHead(404).end();
}).listen(Number(process.env.PORT), "127.0.0.1", () => console.log("bare server ready"));
