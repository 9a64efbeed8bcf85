import "server-only";
import { pool } from "@/lib/db";
import type { ExportManifest } from "@/lib/ledger/export/export-format";
import { EXPORT_ABORTED, EXPORT_COMPLETED, EXPORT_STARTED } from "@/lib/audit/export/export-stream";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The manifest of a finished export (from the audit log), or null. */
export async function getExportManifest(exportId: string): Promise<ExportManifest | null> {
  if (!UUID.test(exportId)) return null;
  const { rows } = await pool.query<{ details: ExportManifest }>(
    `SELECT details FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY id DESC LIMIT 1`,
    [EXPORT_COMPLETED, exportId.toLowerCase()],
  );
  return rows[0]?.details ?? null;
}

export interface ExportSummary {
  exportId: string;
  startedAt: string;
  actorEmail: string | null;
  format: string;
  filters: Record<string, string>;
  status: "completed" | "aborted" | "running";
  rowCount: number | null;
  sha256: string | null;
}

/** The latest exports, newest first, with how each ended. */
export async function listExports(limit = 50): Promise<ExportSummary[]> {
  const { rows } = await pool.query(
    `SELECT s.target_id, s.created_at, s.actor_email, s.details AS started, c.details AS completed, a.id AS aborted_id
       FROM (SELECT * FROM audit_log WHERE action = $1 ORDER BY created_at DESC, id DESC LIMIT $4) s
       LEFT JOIN LATERAL (SELECT details FROM audit_log WHERE action = $2 AND target_id = s.target_id LIMIT 1) c ON true
       LEFT JOIN LATERAL (SELECT id FROM audit_log WHERE action = $3 AND target_id = s.target_id LIMIT 1) a ON true
      ORDER BY s.created_at DESC, s.id DESC`,
    [EXPORT_STARTED, EXPORT_COMPLETED, EXPORT_ABORTED, limit],
  );
  return rows.map((row) => ({
    exportId: row.target_id,
    startedAt: row.created_at.toISOString(),
    actorEmail: row.actor_email,
    format: row.started?.format ?? "?",
    filters: row.started?.filters ?? {},
    status: row.completed ? "completed" : row.aborted_id ? "aborted" : "running",
    rowCount: row.completed?.rowCount ?? null,
    sha256: row.completed?.sha256 ?? null,
  }));
}
