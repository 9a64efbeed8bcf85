import "server-only";
import { prisma } from "@/lib/db";
import { getVersionInEffect } from "@/lib/agreements/versions";
import { getPurposesForReader } from "@/lib/agreements/purposes";
import { textForReader } from "@/lib/agreements/translations";
import { getPreferences } from "@/lib/consent/preferences";
import { acceptAgreement } from "@/lib/consent/accept-agreement";
import { changePurposeConsent } from "@/lib/consent/change-purpose";
import { ensureExternalSubject } from "@/lib/service-api/subjects";
import { linkExternalSubject } from "@/lib/service-api/subject-links";
import type { Actor } from "@/lib/auth/actor";
import type { RequestMeta } from "@/lib/http/request-meta";
import { fail, ok, type Result } from "@/lib/result";
import { verifyHostedLink, type HostedLinkClaims } from "@/lib/hosted/link-token";
import type { HostedFlow } from "@/lib/hosted/schemas";

export interface HostedPurpose {
  key: string;
  name: string;
  description: string;
  basic: boolean;
  granted: boolean;
  /** SHA-256 of the notice shown (a translation's when one is shown): the page sends it back. */
  noticeSha256: string;
}

export type HostedView =
  | { status: "invalid" | "expired" | "used" }
  | {
      status: "ready";
      /** The flow shown: a preference centre for a subject who never accepted becomes the prompt. */
      flow: HostedFlow;
      token: string;
      returnHost: string;
      /** The Accord account the service's id is linked to, if any. */
      linkedUserId: string | null;
      version: {
        number: number;
        /** The title in the language shown. */
        title: string;
        changeSummary: string | null;
        /** The language the change summary is written in (the version's own: summaries are not translated). */
        summaryLocale: string;
        /** The language of the text the page offers (a translation's, or the version's own). */
        locale: string;
        /** SHA-256 of that text: the page sends it back, and acceptance records it. */
        shownSha256: string;
      };
      purposes: HostedPurpose[];
    };

async function linkState(
  token: string,
  at: Date,
): Promise<{ status: "invalid" | "expired" | "used" } | { status: "ok"; claims: HostedLinkClaims }> {
  const checked = await verifyHostedLink(token, at);
  if (!checked.ok) return { status: checked.reason };
  const used = await prisma.hostedLinkUse.findUnique({ where: { jti: checked.claims.jti } });
  return used ? { status: "used" } : { status: "ok", claims: checked.claims };
}

/**
 * The service's id as recorded: its ledger subject (its linked account's,
 * if linked: lib/service-api/subject-links.ts) and that account.
 */
async function mappingOf(externalId: string): Promise<{ subjectId: string; userId: string | null } | null> {
  const row = await prisma.externalSubject.findUnique({
    where: { externalId },
    select: { subjectId: true, userId: true },
  });
  return row ? { subjectId: row.userId ?? row.subjectId, userId: row.userId } : null;
}

async function subjectOf(externalId: string): Promise<string | null> {
  return (await mappingOf(externalId))?.subjectId ?? null;
}

/** What the hosted page shows for a link: its refusal, or the version and purposes with the user's choices. */
export async function loadHostedFlow(token: string, at: Date, locale: string): Promise<HostedView> {
  const state = await linkState(token, at);
  if (state.status !== "ok") return { status: state.status };
  const { claims } = state;
  const version = await getVersionInEffect(at);
  if (!version?.number) return { status: "invalid" };
  const mapping = await mappingOf(claims.externalId);
  const subjectId = mapping?.subjectId ?? null;
  const preferences = subjectId ? await getPreferences(subjectId, locale) : null;
  const accepted = preferences?.acceptedVersion?.number ?? null;
  const flow: HostedFlow = claims.flow === "preferences" && accepted !== null ? "preferences" : "reconsent";
  const granted = new Set(
    (preferences?.purposes ?? []).filter((p) => p.consent === "granted").map((p) => p.key),
  );
  const [purposes, shown] = await Promise.all([
    flow === "preferences" && preferences ? preferences.purposes : getPurposesForReader(version.id, locale),
    // The text in the reader's language when it is translated into it, as on the agreement pages.
    textForReader(version, locale),
  ]);
  return {
    status: "ready",
    flow,
    token,
    returnHost: new URL(claims.returnUrl).host,
    linkedUserId: mapping?.userId ?? null,
    version: {
      number: version.number,
      title: shown.title,
      changeSummary: version.changeSummary ?? null,
      summaryLocale: version.locale,
      locale: shown.locale,
      shownSha256: shown.bodySha256,
    },
    purposes: purposes.map((p) => ({
      key: p.key,
      name: p.name,
      description: p.description,
      basic: p.basic,
      granted: p.basic || granted.has(p.key),
      noticeSha256: p.noticeSha256,
    })),
  };
}

export type HostedOutcome = "accepted" | "declined" | "updated";

export interface CompleteHostedOptions {
  token: string;
  decision: "accept" | "decline" | "save";
  granted: string[];
  /**
   * SHA-256 of the agreement text the page offered (loadHostedFlow's
   * shownSha256): acceptance records it and its language. Absent: the
   * version's own text.
   */
  shownSha256?: string | undefined;
  /** SHA-256 of each purpose's notice as shown, by key; absent ones: the notice in meta.locale. */
  notices?: Record<string, string> | undefined;
  meta: Pick<RequestMeta, "ipTruncated" | "userAgent" | "locale" | "gpc">;
  /**
   * The signed-in reader who asked to link the service's id to their Accord
   * account: linked first (audited), so the choices are recorded under the account.
   */
  linkTo?: Actor | null | undefined;
  at: Date;
}

/** The return URL with the outcome (and the service's state) added. */
function returnTo(claims: HostedLinkClaims, outcome: HostedOutcome): string {
  const url = new URL(claims.returnUrl);
  url.searchParams.set("accord_outcome", outcome);
  if (claims.state) url.searchParams.set("state", claims.state);
  return url.href;
}

/**
 * Records what the user chose on the hosted page, as the user's own web
 * action (method WEB), then burns the link. Every write is keyed by the
 * link's id, so a double submission records each change once.
 */
export async function completeHostedFlow(
  options: CompleteHostedOptions,
): Promise<Result<{ returnUrl: string }>> {
  const state = await linkState(options.token, options.at);
  if (state.status !== "ok")
    return fail(
      410,
      `link_${state.status}`,
      state.status === "used"
        ? "This link has already been used."
        : state.status === "expired"
          ? "This link has expired. Go back and open it again."
          : "This link is not valid.",
    );
  const { claims } = state;
  if (options.linkTo) {
    const linked = await linkExternalSubject(
      { actor: options.linkTo, meta: options.meta, via: "hosted-flow", apiKeyId: claims.apiKeyId },
      { externalId: claims.externalId, userId: options.linkTo.id },
    );
    if (!linked.ok) return linked;
  }
  let outcome: HostedOutcome;
  let subjectId = await subjectOf(claims.externalId);
  if (options.decision === "decline") {
    outcome = "declined";
  } else {
    if (options.decision === "accept") {
      const version = await getVersionInEffect(options.at);
      if (!version) return fail(409, "no_version", "There is no agreement in effect.");
      subjectId ??= await ensureExternalSubject(claims.externalId, claims.apiKeyId);
      const accepted = await acceptAgreement({
        subjectId,
        versionId: version.id,
        shownSha256: options.shownSha256 ?? version.bodySha256,
        method: "WEB",
        meta: options.meta,
      });
      if (!accepted.ok) return accepted;
      outcome = "accepted";
    } else {
      outcome = "updated";
    }
    if (!subjectId) return fail(409, "not_accepted", "Accept the agreement first.");
    const preferences = await getPreferences(subjectId, options.meta.locale ?? "en");
    if (!preferences.acceptedVersion) return fail(409, "not_accepted", "Accept the agreement first.");
    for (const purpose of preferences.purposes) {
      if (purpose.basic) continue;
      const want = options.granted.includes(purpose.key);
      if (want === (purpose.consent === "granted")) continue;
      const changed = await changePurposeConsent({
        subjectId,
        purposeKey: purpose.key,
        action: want ? "grant" : "withdraw",
        method: "WEB",
        meta: options.meta,
        idempotencyKey: `hosted:${claims.jti}:${purpose.key}`,
        versionNumber: preferences.acceptedVersion.number,
        noticeSha256: options.notices?.[purpose.key] ?? purpose.noticeSha256,
      });
      if (!changed.ok) return changed;
    }
  }
  await prisma.hostedLinkUse.createMany({
    data: [
      {
        jti: claims.jti,
        subjectId,
        outcome,
        usedAt: options.at,
      },
    ],
    skipDuplicates: true,
  });
  return ok({ returnUrl: returnTo(claims, outcome) });
}
