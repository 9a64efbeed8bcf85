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
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/** The published versions as the re-consent rules take them, parsed once per statement. */
export interface Catalog {
  versions: PromptVersion[];
  byNumber: Map<number, CatalogVersion>;
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
  };
}

function versionInEffect(catalog: Catalog, at: Date): PromptVersion | undefined {
  return catalog.versions
    .filter((v) => v.effectiveAt <= at)
    .sort((a, b) => b.effectiveAt.getTime() - a.effectiveAt.getTime() || b.number - a.number)[0];
}

export function buildSubjectStatus(
  subjectId: string,
  catalog: Catalog,
  head: SubjectHead,
  at: Date,
): SubjectStatusOut {
  const accepted = head.acceptedVersionNumber;
  const decision = decideReconsent(
    catalog.versions,
    head.seq === null
      ? null
      : { acceptedVersionNumber: accepted, acknowledgedVersionNumber: head.acknowledgedVersionNumber },
    at,
  );
  const inEffect = versionInEffect(catalog, at);
  // Purposes of the subject's current version (in effect, or accepted early);
  // of the version in effect when nothing was accepted.
  const shown = catalog.byNumber.get(
    governingVersionNumber(inEffect?.number ?? null, accepted) ?? inEffect?.number ?? 0,
  );
  const states = new Map((head.states ?? []).map((state) => [state.key, state]));
  return {
    subjectId,
    known: head.seq !== null && head.seq > 0,
    agreement: {
      acceptedVersion: accepted,
      acceptedAt: iso(head.acceptedAt),
      inEffectVersion: inEffect?.number ?? null,
      reconsent: decision.kind,
      reconsentVersion: decision.kind === "none" ? null : decision.version.number,
    },
    purposes: (shown?.purposes ?? []).map((purpose) => {
      const state = states.get(purpose.key);
      // Nothing accepted: no purpose has a basis yet, basic ones included.
      const consent =
        accepted === null
          ? "not-granted"
          : effectiveConsent(
              { ...purpose, translationNoticeSha256s: purpose.translationNotices ?? [] },
              state,
            );
      return {
        key: purpose.key,
        basic: purpose.basic,
        consent,
        granted: consent === "granted" || consent === "required",
        method: state?.method ?? null,
        updatedAt: state ? iso(state.updatedAt) : null,
      };
    }),
    seq: head.seq ?? 0,
  };
}
