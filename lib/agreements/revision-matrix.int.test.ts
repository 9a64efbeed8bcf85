// Revisions that cannot lie (issue 8): for every kind of revision (material or
// minor) × what it does to a purpose (adds one, changes one, retires one,
// changes none) × before or after its effective date, the account banner, the
// preference centre, the APIs (GET /api/v1/me/consent's one-query read and
// the service status API) and the receipts agree on each purpose's state.
// Time moves through lib/clock's test override, so the services run exactly
// as they do for a request.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { createAdminContext } from "@/tests/helpers/admin-context";
import type { AdminContext } from "@/lib/agreements/drafts";

type Kind = "material" | "minor";
type Change = "added" | "changed" | "retired" | "unchanged";

const DAY = 86_400_000;
const meta = { ipTruncated: "203.0.113.0", userAgent: "vitest", locale: "en", gpc: false };

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let clockDir: string;
let admin: AdminContext;
let s: {
  db: typeof import("@/lib/db");
  drafts: typeof import("@/lib/agreements/drafts");
  publish: typeof import("@/lib/agreements/publish");
  reconsent: typeof import("@/lib/agreements/reconsent");
  preferences: typeof import("@/lib/consent/preferences");
  change: typeof import("@/lib/consent/change-purpose");
  accept: typeof import("@/lib/consent/accept-agreement");
  receipts: typeof import("@/lib/consent/get-receipt");
  status: typeof import("@/lib/service-api/status");
  myConsent: typeof import("@/lib/service-api/my-consent");
  users: typeof import("@/lib/users/create-user");
};
let clock = new Date("2031-01-05T09:00:00.000Z");

async function setClock(at: Date) {
  clock = at;
  await writeFile(path.join(clockDir, "clock.json"), JSON.stringify({ offsetMs: at.getTime() - Date.now() }));
}

beforeAll(async () => {
  clockDir = await mkdtemp(path.join(tmpdir(), "accord-clock-"));
  // Before lib/clock is first imported: it reads these once.
  process.env.ACCORD_TEST_BUILD = "1";
  process.env.ACCORD_CLOCK_FILE = path.join(clockDir, "clock.json");
  await setClock(clock);
  db = await usePrivateAppDatabase();
  s = {
    db: await import("@/lib/db"),
    drafts: await import("@/lib/agreements/drafts"),
    publish: await import("@/lib/agreements/publish"),
    reconsent: await import("@/lib/agreements/reconsent"),
    preferences: await import("@/lib/consent/preferences"),
    change: await import("@/lib/consent/change-purpose"),
    accept: await import("@/lib/consent/accept-agreement"),
    receipts: await import("@/lib/consent/get-receipt"),
    status: await import("@/lib/service-api/status"),
    myConsent: await import("@/lib/service-api/my-consent"),
    users: await import("@/lib/users/create-user"),
  };
  admin = await createAdminContext({ ipTruncated: "198.51.100.0", userAgent: "vitest admin" });
});

afterAll(async () => {
  await db?.release();
  await rm(clockDir, { recursive: true, force: true });
  delete process.env.ACCORD_TEST_BUILD;
});

function must<T>(result: { ok: true; data: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

/** A user who accepted the version in effect and granted every optional purpose. */
async function consentingUser() {
  const user = must(
    await s.users.createUser({
      email: `matrix-${randomUUID()}@int.accord.test`,
      password: "correct horse battery",
    }),
  );
  const inEffect = await s.db.prisma.agreementVersion.findFirstOrThrow({
    where: { publishedAt: { not: null }, effectiveAt: { lte: clock } },
    orderBy: [{ effectiveAt: "desc" }, { number: "desc" }],
    include: { purposes: true },
  });
  must(
    await s.accept.acceptAgreement({
      subjectId: user.id,
      versionId: inEffect.id,
      shownSha256: inEffect.bodySha256,
      method: "WEB",
      meta,
    }),
  );
  for (const purpose of inEffect.purposes.filter((p) => !p.basic)) {
    must(await grant(user.id, purpose.key));
  }
  return user.id;
}

function grant(subjectId: string, purposeKey: string) {
  return s.change.changePurposeConsent({
    subjectId,
    purposeKey,
    action: "grant",
    method: "WEB",
    meta,
    idempotencyKey: `web:${randomUUID()}`,
  });
}

/** What every surface says, asserting they agree; returns the common answer per optional purpose. */
async function agreedStates(userId: string) {
  const user = await s.db.prisma.user.findUniqueOrThrow({ where: { id: userId } });
  const [reconsent, fresh, prefs, status, mine, states] = await Promise.all([
    s.reconsent.getReconsentStatus(userId, clock),
    s.reconsent.getPurposesNeedingFreshConsent(userId, clock),
    s.preferences.getPreferences(userId, "en", clock),
    s.status.readSubjectStatus(userId, userId, clock),
    s.myConsent.readMyPreferences({ sub: userId, sv: user.sessionVersion, authAt: 0 }),
    s.db.prisma.consentState.findMany({ where: { subjectId: userId } }),
  ]);
  const optional = prefs.purposes.filter((p) => !p.basic);
  const answer = Object.fromEntries(optional.map((p) => [p.key, p.consent]));

  // The service status API and the one-query /me/consent read list the same purposes in the same state.
  expect(Object.fromEntries(status.purposes.filter((p) => !p.basic).map((p) => [p.key, p.consent]))).toEqual(
    answer,
  );
  expect(
    Object.fromEntries((mine?.purposes ?? []).filter((p) => !p.basic).map((p) => [p.key, p.consent])),
  ).toEqual(answer);
  expect(mine?.currentVersion).toEqual(prefs.currentVersion);
  // The banner asks for fresh consent exactly where the preference centre says it is needed.
  expect(fresh.map((p) => p.key).sort()).toEqual(
    optional
      .filter((p) => p.consent === "needs-fresh-consent")
      .map((p) => p.key)
      .sort(),
  );
  expect(status.agreement.reconsent).toBe(reconsent.kind);
  // Each purpose's latest receipt: granted, and for the current notice exactly when it counts as granted.
  for (const purpose of optional) {
    const state = states.find((st) => st.purposeKey === purpose.key);
    if (!state) continue;
    const receipt = await s.receipts.getConsentReceipt(userId, state.eventId);
    expect(receipt?.consentStatus).toBe(state.granted ? "granted" : "withdrawn");
    expect(receipt?.evidence.noticeSha256 === purpose.noticeSha256).toBe(purpose.consent === "granted");
  }
  return { answer, reconsent: reconsent.kind, currentNumber: prefs.currentVersion?.number ?? null };
}

const cases: [Kind, Change][] = (["material", "minor"] as const).flatMap((kind) =>
  (["added", "changed", "retired", "unchanged"] as const).map((change) => [kind, change] as [Kind, Change]),
);

describe.sequential("revision matrix", () => {
  it.each(cases)(
    "%s revision, purpose %s: every surface agrees before and after it takes effect",
    async (kind, change) => {
      const userId = await consentingUser();
      const before = await agreedStates(userId);
      const previousNumber = before.currentNumber;
      expect(Object.values(before.answer).every((c) => c === "granted")).toBe(true);

      const draftId = must(await s.drafts.createDraft(admin)).id;
      const draft = await s.db.prisma.agreementVersion.findUniqueOrThrow({
        where: { id: draftId },
        include: { purposes: true },
      });
      must(
        await s.drafts.updateDraft(admin, {
          versionId: draftId,
          title: draft.title,
          bodyMarkdown: `${draft.bodyMarkdown}\n\nRevision ${kind} ${change}.`,
        }),
      );
      const surveys = draft.purposes.find((p) => p.key === "surveys")!;
      const retiredKey = kind === "material" ? "precise-location" : "optimisation";
      const addedKey = `research-${kind}`;
      if (change === "added")
        must(
          await s.drafts.addPurpose(admin, {
            versionId: draftId,
            key: addedKey,
            name: "Research",
            description: "We share usage data with research partners.",
            basic: false,
            dpvTerm: null,
          }),
        );
      if (change === "changed")
        must(
          await s.drafts.updatePurpose(admin, {
            versionId: draftId,
            purposeId: surveys.id,
            name: surveys.name,
            description: `${surveys.description} We share your answers with research partners (${kind}).`,
            basic: false,
            dpvTerm: surveys.dpvTerm,
          }),
        );
      if (change === "retired")
        must(
          await s.drafts.retirePurpose(admin, {
            versionId: draftId,
            purposeId: draft.purposes.find((p) => p.key === retiredKey)!.id,
          }),
        );

      const effective = new Date(clock.getTime() + 8 * DAY).toISOString().slice(0, 10);
      const published = await s.publish.publishVersion(admin, {
        versionId: draftId,
        effectiveDate: effective,
        lastUpdated: clock.toISOString().slice(0, 10),
        changeSummary: kind === "material" ? `Material revision: purpose ${change}.` : "",
        material: kind === "material",
      });
      const widens = kind === "minor" && (change === "added" || change === "changed");
      if (widens) {
        // A minor revision cannot widen a purpose: refused, with the reason, and nothing changes.
        expect(published.ok).toBe(false);
        expect(!published.ok && published.fieldErrors?.material?.[0]).toMatch(
          /must be published as material/,
        );
        must(await s.drafts.deleteDraft(admin, draftId));
      } else {
        expect(published.ok).toBe(true);
      }

      // Before the effective date: everything still measured against the version in effect.
      const scheduled = await agreedStates(userId);
      expect(scheduled.answer).toEqual(before.answer);
      expect(scheduled.currentNumber).toBe(previousNumber);
      if (!widens) expect(scheduled.reconsent).toBe(kind === "material" ? "upcoming" : "notice");

      await setClock(new Date(clock.getTime() + 9 * DAY));
      const after = await agreedStates(userId);
      if (widens) {
        expect(after.answer).toEqual(before.answer);
        return;
      }
      const newNumber = (published.ok && published.data.number) || 0;
      expect(after.currentNumber).toBe(newNumber);
      expect(after.reconsent).toBe(kind === "material" ? "required" : "notice");
      const expected = { ...before.answer };
      if (change === "added") expected[addedKey] = "not-granted";
      if (change === "changed") expected.surveys = "needs-fresh-consent";
      if (change === "retired") delete expected[retiredKey];
      expect(after.answer).toEqual(expected);

      if (change === "changed") {
        // Granting again records against the version now in effect, and every surface clears the warning.
        const regranted = must(await grant(userId, "surveys"));
        expect(regranted.event.versionNumber).toBe(newNumber);
        const cleared = await agreedStates(userId);
        expect(cleared.answer.surveys).toBe("granted");
      }
    },
  );
});
