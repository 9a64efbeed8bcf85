// A subject's consent status, as services read it and consent tokens state
// it. Pure: built from what the status statement returns (the published
// versions with their purposes, and the subject's head and stored states),
// with the same rules the preference centre uses (effective-consent.ts,
// reconsent-rules.ts).
import {
  decideReconsent,
  governingVersionNumber,
  type PromptVersion,
} from "@/lib/agreements/reconsent-rules";
import { effectiveConsent } from "@/lib/consent/effective-consent";
import type { SubjectStatusOut } from "@/lib/service-api/schemas";

type Method = SubjectStatusOut["purposes"][number]["method"];

/** A published version with its purposes (JSON aggregate of the status statement). */
export interface CatalogVersion {
  id: string;
  number: number;
  title: string;
  material: boolean;
  effectiveAt: string;
  purposes:
    | {
        key: string;
        basic: boolean;
        noticeSha256: string;
        /** The notice's hashes in its published translations (a grant given in any language counts). */
        translationNotices: string[] | null;
      }[]
    | null;
}

/** A stored purpose state (consent_states). */
export interface StoredState {
  key: string;
  granted: boolean;
  noticeSha256: string;
  method: Method;
  updatedAt: string;
}

/** The subject's chain head and states; every field null when nothing was recorded. */
export interface SubjectHead {
  seq: number | null;
  acceptedVersionNumber: number | null;
  acceptedAt: Date | string | null;
  acknowledgedVersionNumber: number | null;
  states: StoredState[] | null;
  /** When the linked account was closed (deregistered), ISO; null while open or without an account. */
  closedAt: string | null;
}

/**
 * ISO 8601 UTC. The status statements format their timestamps in SQL
 * (ISO_INSTANT_SQL), which arrive as ready strings ending in "Z"; a Date (a
 * plain timestamp column) is formatted here.
 */
const iso = (value: Date | string | null): string | null =>
  value === null
    ? null
    : typeof value === "string" && value.endsWith("Z")
      ? value
      : new Date(value).toISOString();

/** Formats a timestamptz expression as the API's instants (…T…Z, milliseconds), in SQL. */
export const isoInstantSql = (expression: string) =>
  `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A purpose as effectiveConsent takes it, prepared once per catalog. */
interface PreparedPurpose {
  key: string;
  basic: boolean;
  noticeSha256: string;
  translationNoticeSha256s: readonly string[];
}

/** The published versions as the re-consent rules take them, parsed once per catalog. */
export interface Catalog {
  versions: PromptVersion[];
  byNumber: Map<number, CatalogVersion>;
  /** Each version's purposes, by version number, ready for effectiveConsent. */
  purposes: Map<number, PreparedPurpose[]>;
}

export function readCatalog(rows: CatalogVersion[] | null): Catalog {
  const list = rows ?? [];
  return {
    versions: list.map((v) => ({
      id: v.id,
      number: v.number,
      title: v.title,
      bodySha256: "",
      changeSummary: null,
      material: v.material,
      effectiveAt: new Date(v.effectiveAt),
    })),
    byNumber: new Map(list.map((v) => [v.number, v])),
    purposes: new Map(
      list.map((v) => [
        v.number,
        (v.purposes ?? []).map((p) => ({
          key: p.key,
          basic: p.basic,
          noticeSha256: p.noticeSha256,
          translationNoticeSha256s: p.translationNotices ?? [],
        })),
      ]),
    ),
  };
}

function versionInEffect(catalog: Catalog, at: Date): PromptVersion | undefined {
  return catalog.versions
    .filter((v) => v.effectiveAt <= at)
    .sort((a, b) => b.effectiveAt.getTime() - a.effectiveAt.getTime() || b.number - a.number)[0];
}

type AgreementStatus = SubjectStatusOut["agreement"];

/**
 * Builds statuses for one request (one catalog, one instant). What depends
 * only on the versions and on which version a subject accepted or
 * acknowledged (the version in effect, the re-consent decision, the purposes
 * measured against) is worked out once per distinct pair, not per subject:
 * a batch of 1,000 subjects who mostly accepted the same version costs a
 * handful of decisions, not 1,000.
 */
export function statusBuilder(
  catalog: Catalog,
  at: Date,
): (subjectId: string, head: SubjectHead) => SubjectStatusOut {
  const inEffect = versionInEffect(catalog, at);
  const shared = new Map<
    string,
    { agreement: Omit<AgreementStatus, "acceptedAt">; purposes: PreparedPurpose[] }
  >();
  const sharedFor = (head: SubjectHead) => {
    const accepted = head.acceptedVersionNumber;
    const memo = `${head.seq === null ? "-" : "+"}${accepted}:${head.acknowledgedVersionNumber}`;
    let found = shared.get(memo);
    if (!found) {
      const decision = decideReconsent(
        catalog.versions,
        head.seq === null
          ? null
          : { acceptedVersionNumber: accepted, acknowledgedVersionNumber: head.acknowledgedVersionNumber },
        at,
      );
      // Purposes of the subject's current version (in effect, or accepted early);
      // of the version in effect when nothing was accepted.
      const shownNumber = governingVersionNumber(inEffect?.number ?? null, accepted) ?? inEffect?.number ?? 0;
      found = {
        agreement: {
          acceptedVersion: accepted,
          inEffectVersion: inEffect?.number ?? null,
          reconsent: decision.kind,
          reconsentVersion: decision.kind === "none" ? null : decision.version.number,
        },
        purposes: catalog.purposes.get(shownNumber) ?? [],
      };
      shared.set(memo, found);
    }
    return found;
  };
  return (subjectId, head) => {
    const { agreement, purposes } = sharedFor(head);
    const accepted = head.acceptedVersionNumber;
    const states = head.states ?? [];
    return {
      subjectId,
      known: head.seq !== null && head.seq > 0,
      agreement: {
        acceptedVersion: agreement.acceptedVersion,
        acceptedAt: iso(head.acceptedAt),
        inEffectVersion: agreement.inEffectVersion,
        reconsent: agreement.reconsent,
        reconsentVersion: agreement.reconsentVersion,
      },
      purposes: purposes.map((purpose) => {
        const state = states.length === 0 ? undefined : states.find((s) => s.key === purpose.key);
        // A closed account: the service relationship ended (§6.5), nothing is processed.
        // Nothing accepted: no purpose has a basis yet, basic ones included.
        const consent =
          head.closedAt !== null
            ? "account-closed"
            : accepted === null
              ? "not-granted"
              : effectiveConsent(purpose, state);
        return {
          key: purpose.key,
          basic: purpose.basic,
          consent,
          granted: consent === "granted" || consent === "required",
          method: state?.method ?? null,
          updatedAt: state ? iso(state.updatedAt) : null,
        };
      }),
      closedAt: head.closedAt,
      seq: head.seq ?? 0,
    };
  };
}

/** One subject's status (statusBuilder for a single answer). */
export function buildSubjectStatus(
  subjectId: string,
  catalog: Catalog,
  head: SubjectHead,
  at: Date,
): SubjectStatusOut {
  return statusBuilder(catalog, at)(subjectId, head);
}
