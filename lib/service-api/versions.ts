import "server-only";
import { createHash } from "node:crypto";
import { env } from "@/lib/env";
import { now } from "@/lib/clock";
import {
  getPublishedVersion,
  getUpcomingVersion,
  getVersionInEffect,
  listPublishedVersions,
} from "@/lib/agreements/versions";
import type { VersionListOut, VersionOut, VersionSummaryOut } from "@/lib/service-api/schemas";

/** A published version as the API shows it. Published versions never change (a trigger refuses it). */
interface Published {
  number: number | null;
  title: string;
  material: boolean;
  changeSummary: string | null;
  publishedAt: Date | null;
  effectiveAt: Date | null;
  lastUpdated: Date | null;
}

function summary(version: Published): VersionSummaryOut {
  if (version.number === null || !version.publishedAt || !version.effectiveAt)
    throw new Error("service API: a published version lacks its number or dates");
  return {
    number: version.number,
    title: version.title,
    material: version.material,
    changeSummary: version.changeSummary,
    publishedAt: version.publishedAt.toISOString(),
    effectiveAt: version.effectiveAt.toISOString(),
    lastUpdated: version.lastUpdated ? version.lastUpdated.toISOString().slice(0, 10) : null,
  };
}

export interface Cacheable<T> {
  body: T;
  /** Strong validator of the body. */
  etag: string;
  /** Cache-Control value. */
  cacheControl: string;
}

function etagOf(text: string): string {
  return `"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"`;
}

const YEAR = 365 * 24 * 3600;
/** The in-effect version changes only at an effective time; re-check at least every 5 minutes. */
const CURRENT_MAX_AGE = 300;

/** One published version with its purposes; immutable, so cacheable for a year. */
export async function publishedVersionJson(number: number): Promise<Cacheable<VersionOut> | null> {
  const version = await getPublishedVersion(number);
  if (!version || version.number === null) return null;
  const body: VersionOut = {
    ...summary(version),
    bodySha256: version.bodySha256,
    bodyMarkdown: version.bodyMarkdown,
    purposes: version.purposes.map(({ key, name, description, basic, dpvTerm, noticeSha256 }) => ({
      key,
      name,
      description,
      basic,
      dpvTerm,
      noticeSha256,
    })),
    url: `${env.APP_URL.replace(/\/+$/, "")}/agreement/versions/${version.number}`,
  };
  return {
    body,
    etag: etagOf(`version:${version.number}:${version.bodySha256}:${JSON.stringify(body.purposes)}`),
    cacheControl: `private, max-age=${YEAR}, immutable`,
  };
}

/** The version in effect now; cacheable until the next version takes effect (at most 5 minutes). */
export async function currentVersionJson(at: Date = now()): Promise<Cacheable<VersionOut> | null> {
  const [inEffect, upcoming] = await Promise.all([getVersionInEffect(at), getUpcomingVersion(at)]);
  if (!inEffect?.number) return null;
  const version = await publishedVersionJson(inEffect.number);
  if (!version) return null;
  const untilNext = upcoming?.effectiveAt
    ? Math.max(0, Math.floor((upcoming.effectiveAt.getTime() - at.getTime()) / 1000))
    : CURRENT_MAX_AGE;
  return { ...version, cacheControl: `private, max-age=${Math.min(CURRENT_MAX_AGE, untilNext)}` };
}

/** Every published version, newest first, with the numbers in effect and upcoming. */
export async function versionListJson(at: Date = now()): Promise<Cacheable<VersionListOut>> {
  const versions = await listPublishedVersions(at);
  const body: VersionListOut = {
    versions: versions.map(summary),
    inEffect: versions.find((v) => v.state === "in-effect")?.number ?? null,
    upcoming:
      versions
        .filter((v) => v.state === "scheduled")
        .map((v) => v.number ?? 0)
        .sort((a, b) => a - b)[0] ?? null,
  };
  const upcoming = versions
    .filter((v) => v.state === "scheduled" && v.effectiveAt)
    .map((v) => (v.effectiveAt as Date).getTime() - at.getTime());
  const untilNext = upcoming.length ? Math.max(0, Math.floor(Math.min(...upcoming) / 1000)) : CURRENT_MAX_AGE;
  return {
    body,
    etag: etagOf(JSON.stringify(body)),
    cacheControl: `private, max-age=${Math.min(CURRENT_MAX_AGE, untilNext)}`,
  };
}
