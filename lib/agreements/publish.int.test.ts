import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { createAdminContext } from "@/tests/helpers/admin-context";
import type { AdminContext } from "./drafts";

// Publishing changes what is in effect for everyone: this file has its own database.
let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let drafts: typeof import("./drafts");
let publish: typeof import("./publish");
let lib: typeof import("@/lib/db");
let users: typeof import("@/lib/users/create-user");
let admin: AdminContext;

const DAY = 86_400_000;
const at = new Date("2030-06-15T10:00:00.000Z");
const iso = (d: Date) => d.toISOString().slice(0, 10);
const inDays = (n: number) => iso(new Date(at.getTime() + n * DAY));

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  [drafts, publish, lib, users] = await Promise.all([
    import("./drafts"),
    import("./publish"),
    import("@/lib/db"),
    import("@/lib/users/create-user"),
  ]);
  admin = await createAdminContext({ ipTruncated: "198.51.100.0", userAgent: "vitest admin" });
});

afterAll(async () => {
  await db?.release();
});

async function newDraft() {
  const result = await drafts.createDraft(admin);
  if (!result.ok) throw new Error(result.message);
  return result.data.id;
}

async function auditFor(targetId: string) {
  return lib.prisma.auditLogEntry.findMany({ where: { targetId }, orderBy: { id: "asc" } });
}

const publishInput = (
  versionId: string,
  overrides: Partial<Parameters<typeof publish.publishVersion>[1]> = {},
) => ({
  versionId,
  effectiveDate: inDays(10),
  lastUpdated: iso(at),
  changeSummary: "We now keep chat logs for 30 days.",
  material: true,
  ...overrides,
});

describe("drafts", () => {
  it("a draft copies the latest published text and purposes; every change is audited with actor and IP", async () => {
    const id = await newDraft();
    const draft = await lib.prisma.agreementVersion.findUniqueOrThrow({
      where: { id },
      include: { purposes: true },
    });
    const v1 = await lib.prisma.agreementVersion.findUniqueOrThrow({
      where: { number: 1 },
      include: { purposes: true },
    });
    expect(draft).toMatchObject({
      number: null,
      publishedAt: null,
      bodyMarkdown: v1.bodyMarkdown,
      basedOnId: v1.id,
    });
    expect(draft.purposes.map((p) => p.key).sort()).toEqual(v1.purposes.map((p) => p.key).sort());

    const edited = await drafts.updateDraft(admin, {
      versionId: id,
      title: "User Privacy Agreement",
      bodyMarkdown: `${v1.bodyMarkdown}\n\nA new paragraph.`,
    });
    expect(edited.ok).toBe(true);
    const personalisation = draft.purposes.find((p) => p.key === "personalisation")!;
    expect(
      await drafts.updatePurpose(admin, {
        versionId: id,
        purposeId: personalisation.id,
        name: personalisation.name,
        description: "Now also your voice settings.",
        basic: false,
        dpvTerm: personalisation.dpvTerm,
      }),
    ).toMatchObject({ ok: true });
    expect(
      await drafts.addPurpose(admin, {
        versionId: id,
        key: "voice",
        name: "Voice",
        description: "Transcribe calls.",
        basic: false,
        dpvTerm: null,
      }),
    ).toMatchObject({ ok: true });
    const surveys = draft.purposes.find((p) => p.key === "surveys")!;
    expect(await drafts.retirePurpose(admin, { versionId: id, purposeId: surveys.id })).toMatchObject({
      ok: true,
    });

    const audit = await auditFor(id);
    expect(audit.map((a) => a.action)).toEqual([
      "agreement.draft.created",
      "agreement.draft.edited",
      "agreement.purpose.changed",
      "agreement.purpose.added",
      "agreement.purpose.retired",
    ]);
    for (const entry of audit)
      expect(entry).toMatchObject({ actorId: admin.actor.id, ip: "198.51.100.0", userAgent: "vitest admin" });
    expect(audit[1]?.details).toMatchObject({
      changed: ["body"],
      bodySha256: { to: expect.stringMatching(/^[0-9a-f]{64}$/) },
      bodyBytes: { from: expect.any(Number), to: expect.any(Number) },
    });
    expect(audit[2]?.details).toMatchObject({
      key: "personalisation",
      changes: { description: { to: "Now also your voice settings." } },
    });

    expect(await drafts.deleteDraft(admin, id)).toEqual({ ok: true, data: { id } });
    expect(await lib.prisma.agreementVersion.findUnique({ where: { id } })).toBeNull();
    expect((await auditFor(id)).at(-1)).toMatchObject({
      action: "agreement.draft.deleted",
      actorId: admin.actor.id,
    });
  });

  it("a duplicate purpose key is a field error", async () => {
    const id = await newDraft();
    const result = await drafts.addPurpose(admin, {
      versionId: id,
      key: "service",
      name: "x",
      description: "y",
      basic: true,
      dpvTerm: null,
    });
    expect(result).toMatchObject({ ok: false, status: 409, fieldErrors: { key: [expect.any(String)] } });
    await drafts.deleteDraft(admin, id);
  });
});

describe("publishing: bad input fails with field errors and writes nothing", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "an effective date in the past",
      { effectiveDate: inDays(-1), lastUpdated: inDays(-2), material: false },
      "effectiveDate",
    ],
    ["a material version without a summary", { changeSummary: "  " }, "changeSummary"],
    ["a material version inside the notice period", { effectiveDate: inDays(7) }, "effectiveDate"],
  ];
  for (const [name, overrides, field] of cases) {
    it(`refuses ${name}`, async () => {
      const id = await newDraft();
      const auditBefore = await lib.prisma.auditLogEntry.count();
      const result = await publish.publishVersion(admin, publishInput(id, overrides), {
        at,
        noticePeriodDays: 7,
      });
      expect(result).toMatchObject({
        ok: false,
        status: 400,
        fieldErrors: { [field]: [expect.any(String)] },
      });
      expect(await lib.prisma.agreementVersion.findUniqueOrThrow({ where: { id } })).toMatchObject({
        publishedAt: null,
        number: null,
      });
      expect(await lib.prisma.notificationRun.count({ where: { versionId: id } })).toBe(0);
      expect(await lib.prisma.auditLogEntry.count()).toBe(auditBefore);
      await drafts.deleteDraft(admin, id);
    });
  }
});

describe("publishing a material version", () => {
  let versionId: string;
  let number: number;

  it("assigns the next number, freezes it, and queues one email per active user in the same transaction", async () => {
    const active = await users.createUser({
      email: `active-${randomUUID()}@int.accord.test`,
      password: "correct horse battery",
    });
    const gone = await users.createUser({
      email: `gone-${randomUUID()}@int.accord.test`,
      password: "correct horse battery",
    });
    if (!active.ok || !gone.ok) throw new Error("user");
    await lib.prisma.user.update({ where: { id: gone.data.id }, data: { deregisteredAt: at } });
    const activeUsers = await lib.prisma.user.count({ where: { deregisteredAt: null } });

    versionId = await newDraft();
    const result = await publish.publishVersion(admin, publishInput(versionId), { at, noticePeriodDays: 7 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    number = result.data.number;
    expect(number).toBe(2);
    expect(result.data).toMatchObject({
      material: true,
      recipients: activeUsers,
      effectiveAt: new Date(`${inDays(10)}T00:00:00.000Z`),
    });

    const run = await lib.prisma.notificationRun.findFirstOrThrow({ where: { versionId } });
    expect(run.total).toBe(activeUsers);
    const queued = await lib.prisma.notification.findMany({
      where: { runId: run.id },
      select: { userId: true, status: true },
    });
    expect(queued).toHaveLength(activeUsers);
    expect(queued.every((n) => n.status === "PENDING")).toBe(true);
    expect(queued.some((n) => n.userId === active.data.id)).toBe(true);
    expect(queued.some((n) => n.userId === gone.data.id)).toBe(false);

    const [entry] = (await auditFor(versionId)).filter((a) => a.action === "agreement.version.published");
    expect(entry).toMatchObject({ actorId: admin.actor.id, ip: "198.51.100.0" });
    expect(entry?.details).toMatchObject({
      number: 2,
      material: true,
      notificationRunId: run.id,
      recipients: activeUsers,
    });
  });

  it("refuses to edit it through the app with a clear 409, before reaching the database rule", async () => {
    const purpose = await lib.prisma.purpose.findFirstOrThrow({ where: { versionId } });
    const expected = { ok: false, status: 409, code: "version_published" };
    expect(
      await drafts.updateDraft(admin, { versionId, title: "Changed", bodyMarkdown: "Changed" }),
    ).toMatchObject(expected);
    expect(await drafts.deleteDraft(admin, versionId)).toMatchObject(expected);
    expect(
      await drafts.addPurpose(admin, {
        versionId,
        key: "late",
        name: "x",
        description: "y",
        basic: false,
        dpvTerm: null,
      }),
    ).toMatchObject(expected);
    expect(
      await drafts.updatePurpose(admin, {
        versionId,
        purposeId: purpose.id,
        name: "x",
        description: "y",
        basic: false,
        dpvTerm: null,
      }),
    ).toMatchObject(expected);
    expect(await drafts.retirePurpose(admin, { versionId, purposeId: purpose.id })).toMatchObject(expected);
    expect(await publish.publishVersion(admin, publishInput(versionId), { at })).toMatchObject(expected);
  });

  it("refuses to edit it directly in SQL (the trigger, SQLSTATE ZA002)", async () => {
    const statements = [
      ["UPDATE agreement_versions SET body_markdown = 'x' WHERE id = $1", versionId],
      ["UPDATE agreement_versions SET effective_at = now() WHERE id = $1", versionId],
      ["UPDATE agreement_versions SET material = false WHERE id = $1", versionId],
      ["DELETE FROM agreement_versions WHERE id = $1", versionId],
      ["UPDATE purposes SET description = 'x' WHERE version_id = $1", versionId],
      ["DELETE FROM purposes WHERE version_id = $1", versionId],
      [
        "INSERT INTO purposes (id, version_id, key, name, description, notice_sha256) VALUES (gen_random_uuid(), $1, 'late', 'x', 'y', repeat('0', 64))",
        versionId,
      ],
    ] as const;
    for (const [sql, param] of statements) {
      await expect(lib.pool.query(sql, [param])).rejects.toMatchObject({ code: "ZA002" });
    }
  });

  it("maps the trigger's refusal, if a writer skips the check, to the same clear error", async () => {
    const { isImmutableVersionError } = await import("./immutable-error");
    const error = await lib.prisma.agreementVersion
      .update({ where: { id: versionId }, data: { title: "x" } })
      .catch((e: unknown) => e);
    expect(isImmutableVersionError(error)).toBe(true);
    expect(isImmutableVersionError(new Error("unrelated"))).toBe(false);
  });

  it("a later version cannot take effect before it", async () => {
    const id = await newDraft();
    const result = await publish.publishVersion(
      admin,
      publishInput(id, { material: false, effectiveDate: inDays(9) }),
      { at },
    );
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { effectiveDate: [expect.stringContaining(inDays(10))] },
    });
    const later = await publish.publishVersion(
      admin,
      publishInput(id, { material: false, effectiveDate: inDays(12) }),
      { at },
    );
    expect(later).toMatchObject({
      ok: true,
      data: { number: number + 1, material: false, notificationRunId: null, recipients: 0 },
    });
  });

  it("concurrent publishes get distinct numbers", async () => {
    const [a, b] = await Promise.all([newDraft(), newDraft()]);
    const results = await Promise.all(
      [a, b].map((id) =>
        publish.publishVersion(admin, publishInput(id, { material: false, effectiveDate: inDays(20) }), {
          at,
        }),
      ),
    );
    const numbers = results.map((r) => (r.ok ? r.data.number : null)).sort();
    expect(numbers).toEqual([number + 2, number + 3]);
  });
});
