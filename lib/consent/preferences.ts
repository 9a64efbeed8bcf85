import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { inEffectAt } from "@/lib/agreements/versions";
import { governingVersionNumber } from "@/lib/agreements/reconsent-rules";
import { getPurposesForReader, type ReaderPurpose } from "@/lib/agreements/purposes";
import { effectiveConsent, type EffectiveConsent } from "@/lib/consent/effective-consent";
import type { ConsentMethod } from "@/lib/generated/prisma/enums";

export interface PurposePreference {
  key: string;
  name: string;
  description: string;
  basic: boolean;
  dpvTerm: string | null;
  /** The hash of the notice shown: in the reader's language when translated. */
  noticeSha256: string;
  noticeLocale: string;
  isTranslation: boolean;
  consent: EffectiveConsent;
  lastChange: {
    eventId: string;
    granted: boolean;
    method: ConsentMethod;
    at: Date;
    versionNumber: number;
  } | null;
}

export interface Preferences {
  acceptedVersion: { id: string; number: number; acceptedAt: Date | null } | null;
  /**
   * The version whose purposes are listed (governingVersionNumber): the one in
   * effect, or the accepted one if the subject accepted a newer one early.
   * Grants and withdrawals are recorded against it.
   */
  currentVersion: { id: string; number: number } | null;
  gpcAppliedAt: Date | null;
  purposes: PurposePreference[];
}

/**
 * Every purpose of the subject's current version (the one in effect, or the
 * one accepted early: governingVersionNumber), with its effective state,
 * named and described in `locale` when the version is translated into it.
 */
export async function getPreferences(
  subjectId: string,
  locale = "en",
  at: Date = now(),
): Promise<Preferences> {
  const subject = await prisma.consentSubject.findUnique({
    where: { subjectId },
    select: {
      acceptedVersionId: true,
      acceptedVersionNumber: true,
      acceptedAt: true,
      gpcAppliedAt: true,
      purposes: {
        select: {
          purposeKey: true,
          granted: true,
          noticeSha256: true,
          method: true,
          eventId: true,
          updatedAt: true,
          versionNumber: true,
        },
      },
    },
  });
  if (!subject?.acceptedVersionId || subject.acceptedVersionNumber === null) {
    return {
      acceptedVersion: null,
      currentVersion: null,
      gpcAppliedAt: subject?.gpcAppliedAt ?? null,
      purposes: [],
    };
  }
  const inEffect = await prisma.agreementVersion.findFirst({
    ...inEffectAt(at),
    select: { id: true, number: true },
  });
  const current =
    inEffect?.number &&
    governingVersionNumber(inEffect.number, subject.acceptedVersionNumber) === inEffect.number
      ? { id: inEffect.id, number: inEffect.number }
      : { id: subject.acceptedVersionId, number: subject.acceptedVersionNumber };
  const purposes = await getPurposesForReader(current.id, locale);
  return buildPreferences(
    {
      acceptedVersionId: subject.acceptedVersionId,
      acceptedVersionNumber: subject.acceptedVersionNumber,
      acceptedAt: subject.acceptedAt,
      gpcAppliedAt: subject.gpcAppliedAt,
      states: subject.purposes,
    },
    purposes,
    current,
  );
}

/** A subject's stored consent: its accepted version and each purpose's last change. */
export interface StoredSubjectConsent {
  acceptedVersionId: string;
  acceptedVersionNumber: number;
  acceptedAt: Date | null;
  gpcAppliedAt: Date | null;
  states: {
    purposeKey: string;
    granted: boolean;
    noticeSha256: string;
    method: ConsentMethod;
    eventId: string;
    updatedAt: Date;
    versionNumber: number;
  }[];
}

/**
 * The preferences of a subject who accepted a version (pure), from its stored
 * states and the accepted version's purposes as the reader is shown them.
 * Shared by getPreferences and the one-query read of GET /api/v1/me/consent.
 */
export function buildPreferences(
  subject: StoredSubjectConsent,
  purposes: readonly ReaderPurpose[],
  current: { id: string; number: number } = {
    id: subject.acceptedVersionId,
    number: subject.acceptedVersionNumber,
  },
): Preferences {
  const states = new Map(subject.states.map((state) => [state.purposeKey, state]));
  return {
    acceptedVersion: {
      id: subject.acceptedVersionId,
      number: subject.acceptedVersionNumber,
      acceptedAt: subject.acceptedAt,
    },
    currentVersion: current,
    gpcAppliedAt: subject.gpcAppliedAt,
    purposes: purposes.map((purpose) => {
      const state = states.get(purpose.key);
      return {
        key: purpose.key,
        name: purpose.name,
        description: purpose.description,
        basic: purpose.basic,
        dpvTerm: purpose.dpvTerm,
        noticeSha256: purpose.noticeSha256,
        noticeLocale: purpose.noticeLocale,
        isTranslation: purpose.isTranslation,
        consent: effectiveConsent(
          {
            basic: purpose.basic,
            noticeSha256: purpose.authoritativeNoticeSha256,
            translationNoticeSha256s: purpose.translationNoticeSha256s,
          },
          state,
        ),
        lastChange: state
          ? {
              eventId: state.eventId,
              granted: state.granted,
              method: state.method,
              at: state.updatedAt,
              versionNumber: state.versionNumber,
            }
          : null,
      };
    }),
  };
}
