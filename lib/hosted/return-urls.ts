import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { recordAudit, type AuditEntry } from "@/lib/audit-log/record-audit";
import { fail, ok, type Result } from "@/lib/result";
import { fieldMessage } from "@/lib/validation/messages";

export interface ReturnUrlEntry {
  id: string;
  apiKeyId: string;
  urlPrefix: string;
  createdAt: Date;
}

/**
 * Whether `url` starts with one of the key's allowed prefixes, compared as
 * parsed URLs: same origin, and the path starts at a segment boundary (an
 * allowed https://a.example/return never admits https://a.example/returned
 * or https://a.example.evil).
 */
export function isAllowedReturnUrl(url: string, prefixes: readonly string[]): boolean {
  if (!URL.canParse(url)) return false;
  const target = new URL(url);
  return prefixes.some((prefix) => {
    const allowed = new URL(prefix);
    if (allowed.origin !== target.origin) return false;
    const base = allowed.pathname.endsWith("/") ? allowed.pathname : `${allowed.pathname}/`;
    return target.pathname === allowed.pathname || target.pathname.startsWith(base);
  });
}

export async function returnUrlPrefixes(apiKeyId: string): Promise<string[]> {
  const rows = await prisma.hostedReturnUrl.findMany({ where: { apiKeyId }, select: { urlPrefix: true } });
  return rows.map((row) => row.urlPrefix);
}

export async function listReturnUrls(): Promise<ReturnUrlEntry[]> {
  return prisma.hostedReturnUrl.findMany({
    orderBy: [{ createdAt: "desc" }],
    select: { id: true, apiKeyId: true, urlPrefix: true, createdAt: true },
  });
}

interface Context {
  actor: AuditEntry["actor"];
  meta: AuditEntry["meta"];
}

/** Allows an API key's hosted links to return to URLs under `urlPrefix`. Audited. */
export async function addReturnUrl(
  context: Context,
  input: { apiKeyId: string; urlPrefix: string },
): Promise<Result<ReturnUrlEntry>> {
  const key = await prisma.apiKey.findUnique({ where: { id: input.apiKeyId }, select: { revokedAt: true } });
  if (!key || key.revokedAt)
    return fail(400, "invalid_input", "Some fields need attention.", {
      apiKeyId: [fieldMessage("chooseActiveApiKey")],
    });
  const urlPrefix = new URL(input.urlPrefix).href;
  return prisma.$transaction(async (tx) => {
    const existing = await tx.hostedReturnUrl.findUnique({
      where: { apiKeyId_urlPrefix: { apiKeyId: input.apiKeyId, urlPrefix } },
    });
    if (existing)
      return fail(400, "invalid_input", "Some fields need attention.", {
        urlPrefix: [fieldMessage("returnUrlTaken")],
      });
    const row = await tx.hostedReturnUrl.create({
      data: { apiKeyId: input.apiKeyId, urlPrefix, createdAt: now(), createdById: context.actor?.id ?? null },
      select: { id: true, apiKeyId: true, urlPrefix: true, createdAt: true },
    });
    await recordAudit(
      {
        ...context,
        action: "hosted.return_url_added",
        targetType: "api_key",
        targetId: input.apiKeyId,
        details: { urlPrefix },
      },
      tx,
    );
    return ok(row);
  });
}

export async function removeReturnUrl(context: Context, id: string): Promise<Result<{ id: string }>> {
  return prisma.$transaction(async (tx) => {
    const row = await tx.hostedReturnUrl.findUnique({ where: { id } });
    if (!row) return fail(404, "unknown_return_url", "There is no such return address.");
    await tx.hostedReturnUrl.delete({ where: { id } });
    await recordAudit(
      {
        ...context,
        action: "hosted.return_url_removed",
        targetType: "api_key",
        targetId: row.apiKeyId,
        details: { urlPrefix: row.urlPrefix },
      },
      tx,
    );
    return ok({ id });
  });
}
