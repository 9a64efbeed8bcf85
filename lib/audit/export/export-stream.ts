import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { recordAudit } from "@/lib/audit-log/record-audit";
import { eventWhere, type SqlWhere } from "@/lib/audit/event-sql";
import type { ExportQuery } from "@/lib/audit/filters";
import { tallyCheckpoints, tallyLog } from "@/lib/audit/export/export-tally";
import { sequenceNow } from "@/lib/ledger/log/public-log";
import { logSigner } from "@/lib/ledger/log/signing-key";
import { formatVerifierKey } from "@/lib/ledger/note";
import {
  EVENT_COLUMNS_SQL,
  SPREADSHEET_SAFE_COLUMNS_SQL,
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  ndjsonSelect,
  type ExportManifest,
} from "@/lib/ledger/export/export-format";
import { LEDGER_FORMAT_VERSION } from "@/lib/ledger/event-hash";
import type { Actor } from "@/lib/auth/actor";
import type { RequestMeta } from "@/lib/http/request-meta";
import { fail, ok, type Result } from "@/lib/result";

export const EXPORT_STARTED = "audit.export.started";
export const EXPORT_COMPLETED = "audit.export.completed";
export const EXPORT_ABORTED = "audit.export.aborted";

// NDJSON lines are single CSV cells that never need quoting: row_to_json
// escapes every control character, and these quote and delimiter bytes
// (0x01, 0x02) can then never occur, so PostgreSQL writes each line as is.
const NDJSON_COPY_OPTIONS = `(FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`;

// How much the copy stream buffers before it stops reading the socket.
const COPY_HIGH_WATER_MARK = 256 * 1024;

export interface ExportStart {
  exportId: string;
  filename: string;
  contentType: string;
  body: ReadableStream<Uint8Array>;
}

export interface ExportOptions {
  query: ExportQuery;
  actor: Actor;
  meta: Pick<RequestMeta, "ipTruncated" | "userAgent"> | null;
}

/** The export's SELECT: the columns as text, in ledger order (position). */
export function exportSql(where: SqlWhere, spreadsheetSafe = false): string {
  const columns = spreadsheetSafe ? SPREADSHEET_SAFE_COLUMNS_SQL : EVENT_COLUMNS_SQL;
  return `SELECT ${columns} FROM consent_events e ${where.text} ORDER BY e.position`;
}

/** COPY takes no bind parameters: the validated filter values become quoted literals. */
function inlineValues(text: string, values: unknown[], client: pg.PoolClient): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = values[Number(n) - 1];
    if (typeof value === "number" && Number.isInteger(value)) return String(value);
    return client.escapeLiteral(value instanceof Date ? value.toISOString() : String(value));
  });
}

/**
 * Starts an export: records it, then returns a stream that reads the rows as
 * the client consumes them (memory stays flat) and ends with the manifest,
 * which is also written to the audit log. PostgreSQL writes the rows
 * (COPY ... TO STDOUT: its CSV writer, or row_to_json lines); rows and
 * manifest come from one REPEATABLE READ snapshot.
 */
export async function startExport({ query, actor, meta }: ExportOptions): Promise<Result<ExportStart>> {
  const exportId = query.exportId ?? randomUUID();
  const used = await pool.query(`SELECT 1 FROM audit_log WHERE action = $1 AND target_id = $2 LIMIT 1`, [
    EXPORT_STARTED,
    exportId,
  ]);
  if (used.rowCount)
    return fail(409, "export_id_used", "This export id was already used: ask for a new export.");

  // Give settled events their leaves and sign the tree, so the manifest's
  // checkpoint covers as much of the file as it can. A log that refuses to
  // sign (docs/ledger.md §12) must not stop an auditor's export: the manifest
  // then carries the latest checkpoint it has, and the verifier says how many
  // rows it covers.
  await sequenceNow().catch((error: unknown) =>
    console.error(`[export] sequencer: ${error instanceof Error ? error.message : String(error)}`),
  );
  const verifierKey = formatVerifierKey(logSigner());
  const startedAt = now();
  await recordAudit({
    actor,
    meta,
    action: EXPORT_STARTED,
    targetType: "consent_export",
    targetId: exportId,
    details: { exportId, format: query.format, filters: query.filters.raw },
  });

  const hash = createHash("sha256");
  const encoder = new TextEncoder();
  const where = eventWhere(query.filters);
  let rowCount = 0;

  /**
   * Both formats come from PostgreSQL's COPY: the app forwards bytes, it does
   * not re-encode rows. pg-copy-streams reads the socket only while the
   * consumer keeps up (backpressure), and its chunks are the socket's own
   * buffers, not pg's reusable read buffer.
   */
  function copyRows(client: pg.PoolClient) {
    const select = inlineValues(
      query.format === "csv" ? exportSql(where, query.spreadsheetSafe) : ndjsonSelect(where.text),
      where.values,
      client,
    );
    const options = query.format === "csv" ? "(FORMAT csv, HEADER)" : NDJSON_COPY_OPTIONS;
    return client.query(
      copyTo(`COPY (${select}) TO STDOUT WITH ${options}`, { highWaterMark: COPY_HIGH_WATER_MARK }),
    );
  }

  async function* produce(): AsyncGenerator<Uint8Array> {
    const client = await pool.connect();
    let finished = false;
    let tally: Awaited<ReturnType<typeof tallyCheckpoints>>;
    let log: Awaited<ReturnType<typeof tallyLog>>;
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const copy = copyRows(client);
      for await (const chunk of copy as AsyncIterable<Buffer>) {
        hash.update(chunk);
        yield chunk;
      }
      tally = await tallyCheckpoints(client, where);
      log = await tallyLog(client, where, verifierKey);
      // The stream ends at CopyDone; the "COPY n" tag (rowCount) may arrive
      // after that, but always before the next query's answer: read it now.
      rowCount = copy.rowCount;
      await client.query("COMMIT");
      finished = true;
    } finally {
      // A connection left mid-copy or mid-cursor cannot be reused: drop it (which ends its transaction).
      client.release(finished ? undefined : true);
      if (!finished) {
        await recordAudit({
          actor,
          meta,
          action: EXPORT_ABORTED,
          targetType: "consent_export",
          targetId: exportId,
          details: { exportId, rowsSent: rowCount },
        }).catch(() => undefined);
      }
    }
    const manifest: ExportManifest = {
      type: "manifest",
      format: EXPORT_FORMAT,
      formatVersion: EXPORT_FORMAT_VERSION,
      ledgerFormatVersion: LEDGER_FORMAT_VERSION,
      exportId,
      fileFormat: query.format,
      filters: query.filters.raw,
      order: "position",
      rowCount,
      startedAt: startedAt.toISOString(),
      completedAt: now().toISOString(),
      exportedBy: { id: actor.id, email: actor.email, role: actor.role },
      sha256: hash.digest("hex"),
      checkpoints: tally.checkpoints,
      uncheckpointedCount: rowCount - tally.covered,
      ...(log ? { log } : {}),
      ...(query.spreadsheetSafe ? { spreadsheetSafe: true as const } : {}),
    };
    await recordAudit({
      actor,
      meta,
      action: EXPORT_COMPLETED,
      targetType: "consent_export",
      targetId: exportId,
      details: JSON.parse(JSON.stringify(manifest)),
    });
    if (query.format === "ndjson") yield encoder.encode(`${JSON.stringify(manifest)}\n`);
  }

  const stamp = startedAt.toISOString().replace(/[-:]/g, "").slice(0, 15);
  return ok({
    exportId,
    filename: `consent-export-${stamp}-${exportId.slice(0, 8)}${query.spreadsheetSafe ? "-spreadsheet" : ""}.${query.format}`,
    contentType: query.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    body: toReadableStream(produce()),
  });
}

/** Pull-based: the next rows are read only when the client has taken the last chunk. */
export function toReadableStream(source: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await source.next();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await source.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
