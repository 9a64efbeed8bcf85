import "server-only";
import { randomUUID } from "node:crypto";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { effectiveSubjectSql } from "@/lib/service-api/subject-links";

// External subjects: a service's own id for one of its users, mapped to the
// ledger subject its consent is recorded under (prisma/schema.prisma,
// ExternalSubject). Reads never create one; the first recorded decision does.

const CREATE_SQL = `
INSERT INTO external_subjects (external_id, subject_id, created_at, created_by_key_id)
VALUES ($1, $2::uuid, $3, $4::uuid)
ON CONFLICT (external_id) DO NOTHING
RETURNING subject_id::text`;

const FIND_SQL = `SELECT ${effectiveSubjectSql("e")}::text AS subject_id FROM external_subjects e WHERE e.external_id = $1`;

/**
 * The ledger subject of `externalId` (its linked account's, if linked), created now if the service never named
 * it before. Two first uses at once agree on one subject: the loser of the
 * insert reads the winner's row in a statement of its own, which sees it.
 */
export async function ensureExternalSubject(externalId: string, apiKeyId: string | null): Promise<string> {
  const created = await pool.query<{ subject_id: string }>({
    name: "external-subject-create-v1",
    text: CREATE_SQL,
    values: [externalId, randomUUID(), now(), apiKeyId],
  });
  const subjectId = created.rows[0]?.subject_id;
  if (subjectId) return subjectId;
  const found = await pool.query<{ subject_id: string }>({
    name: "external-subject-find-v2",
    text: FIND_SQL,
    values: [externalId],
  });
  const existing = found.rows[0]?.subject_id;
  if (!existing) throw new Error("external subject: neither created nor found");
  return existing;
}
