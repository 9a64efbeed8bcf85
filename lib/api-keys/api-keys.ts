import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { recordAudit, type AuditEntry } from "@/lib/audit-log/record-audit";
import { fail, ok, type Result } from "@/lib/result";
import { mintApiKey } from "@/lib/api-keys/key-format";
import { fromPrismaScope, toPrismaScope, type ApiScopeName } from "@/lib/api-keys/scopes";
import type { CreateApiKeyInput } from "@/lib/api-keys/schemas";

/** Who manages keys: an admin through the app, or `npm run apikey:create` (actor null). */
export interface KeyManagerContext {
  actor: AuditEntry["actor"];
  meta: AuditEntry["meta"];
  via?: "cli";
}

export interface ApiKeySummary {
  id: string;
  name: string;
  displayPrefix: string;
  scopes: ApiScopeName[];
  rateLimitPerMinute: number;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface CreatedApiKey extends ApiKeySummary {
  /** The key itself. It exists only in this answer: the database keeps its hash. */
  key: string;
}

const SUMMARY = {
  id: true,
  name: true,
  displayPrefix: true,
  scopes: true,
  rateLimitPerMinute: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

type SummaryRow = Omit<ApiKeySummary, "scopes"> & { scopes: Parameters<typeof fromPrismaScope>[0][] };

function toSummary(row: SummaryRow): ApiKeySummary {
  return { ...row, scopes: row.scopes.map(fromPrismaScope) };
}

/** Creates a key and records it in the audit log, in one transaction. */
export async function createApiKey(
  context: KeyManagerContext,
  input: CreateApiKeyInput,
): Promise<Result<CreatedApiKey>> {
  const minted = mintApiKey();
  const at = now();
  const created = await prisma.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: {
        name: input.name,
        displayPrefix: minted.displayPrefix,
        secretSha256: minted.secretSha256,
        scopes: input.scopes.map(toPrismaScope),
        rateLimitPerMinute: input.rateLimitPerMinute,
        createdAt: at,
        createdById: context.actor?.id ?? null,
      },
      select: SUMMARY,
    });
    await recordAudit(
      {
        actor: context.actor,
        meta: context.meta,
        action: "api_key.created",
        targetType: "api_key",
        targetId: row.id,
        details: {
          name: row.name,
          displayPrefix: row.displayPrefix,
          scopes: input.scopes,
          rateLimitPerMinute: row.rateLimitPerMinute,
          ...(context.via ? { via: context.via } : {}),
        },
      },
      tx,
    );
    return row;
  });
  return ok({ ...toSummary(created), key: minted.key });
}

/** Revokes a key at once: the next request with it is refused. Revoking twice is refused. */
export async function revokeApiKey(
  context: KeyManagerContext,
  keyId: string,
): Promise<Result<ApiKeySummary>> {
  return prisma.$transaction(async (tx) => {
    const at = now();
    const { count } = await tx.apiKey.updateMany({
      where: { id: keyId, revokedAt: null },
      data: { revokedAt: at, revokedById: context.actor?.id ?? null },
    });
    const row = await tx.apiKey.findUnique({ where: { id: keyId }, select: SUMMARY });
    if (!row) return fail(404, "unknown_api_key", "There is no such API key.");
    if (count === 0) return fail(409, "already_revoked", "This key was already revoked.");
    await recordAudit(
      {
        actor: context.actor,
        meta: context.meta,
        action: "api_key.revoked",
        targetType: "api_key",
        targetId: row.id,
        details: { name: row.name, displayPrefix: row.displayPrefix },
      },
      tx,
    );
    return ok(toSummary(row));
  });
}

/** Every key, newest first, active ones before revoked ones. */
export async function listApiKeys(): Promise<ApiKeySummary[]> {
  const rows = await prisma.apiKey.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: SUMMARY,
  });
  return rows.map(toSummary);
}
