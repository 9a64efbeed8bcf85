import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";

// An installation that starts without the first customer's agreement
// (SEED_FIRST_AGREEMENT=0) and imports its own history as version 1 onwards.
let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let folder: string;
let prisma: typeof import("@/lib/db").prisma;

const file = (front: string, body: string) => `---\n${front}\n---\n\n${body}\n`;

function versionsImport(args: string[]) {
  return spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/versions-import.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, AGREEMENT_TIMEZONE: "Asia/Shanghai" },
  });
}

beforeAll(async () => {
  db = await usePrivateAppDatabase({ firstAgreement: false });
  ({ prisma } = await import("@/lib/db"));
  folder = await mkdtemp(path.join(tmpdir(), "accord-history-"));
  await writeFile(
    path.join(folder, "b.md"),
    file(
      'effective: 2019-03-15\nlastUpdated: 2019-03-01\nlabel: "2019-03"\nmaterial: true\nsummary: Rewritten.\npurposes:\n  - key: surveys\n    name: Surveys\n    description: We ask about the service.',
      "# Privacy\n\nHello {{ customer_name }}. See [our terms][terms] and [help](/help).",
    ),
  );
  await writeFile(
    path.join(folder, "a.md"),
    file('effective: 2017-06-01\nlabel: "2017-06"', "# Privacy\n\nFirst text."),
  );
  await writeFile(
    path.join(folder, "c.md"),
    file(
      "effective: 2021-01-04\ntitle: Privacy Statement",
      "# Privacy\n\nHello {{ customer_name }}. See [our terms][terms] and [help](/help).",
    ),
  );
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
  await db.release();
});

describe("npm run versions:import", () => {
  it("a dry run prints the plan with warnings and writes nothing", async () => {
    const result = versionsImport([folder, "--dry-run"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('a.md: would import as version 1 "2017-06", effective 2017-06-01');
    expect(result.stdout).toContain(
      'b.md: would import as version 2 "2019-03", effective 2019-03-15, material',
    );
    expect(result.stdout).toContain("{{ customer_name }}");
    expect(result.stdout).toContain('"[our terms][terms]"');
    expect(result.stdout).toContain('"/help"');
    expect(result.stdout).toContain("The text is identical to the previous version's.");
    expect(await prisma.agreementVersion.count()).toBe(0);
  });

  it("imports in date order as published historical versions with real dates, no notifications, one audit entry", async () => {
    const result = versionsImport([folder, "--json"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const outcome = JSON.parse(result.stdout) as { imported: number; skipped: number };
    expect(outcome).toMatchObject({ imported: 3, skipped: 0 });
    const rows = await prisma.agreementVersion.findMany({
      orderBy: { number: "asc" },
      include: { purposes: true },
    });
    expect(rows.map((r) => [r.number, r.label, r.historical, r.material, r.title])).toEqual([
      [1, "2017-06", true, false, "User Privacy Agreement"],
      [2, "2019-03", true, true, "User Privacy Agreement"],
      [3, null, true, false, "Privacy Statement"],
    ]);
    // Calendar dates read in AGREEMENT_TIMEZONE (Asia/Shanghai, UTC+8).
    expect(rows[1]?.effectiveAt?.toISOString()).toBe("2019-03-14T16:00:00.000Z");
    expect(rows[1]?.lastUpdated?.toISOString()).toBe("2019-03-01T00:00:00.000Z");
    expect(rows.every((r) => r.publishedAt !== null && r.importSha256?.length === 64)).toBe(true);
    expect(rows[0]?.purposes).toEqual([]);
    expect(rows[1]?.purposes.map((p) => p.key)).toEqual(["surveys"]);
    // Version 3 names no purposes: it carries those of version 2.
    expect(rows[2]?.purposes.map((p) => [p.key, p.noticeSha256])).toEqual(
      rows[1]?.purposes.map((p) => [p.key, p.noticeSha256]),
    );
    expect(await prisma.notificationRun.count()).toBe(0);
    // Rendered and diffed once, after the commit: served from storage.
    expect(await prisma.agreementRendering.count()).toBe(3);
    expect(await prisma.agreementDiff.count()).toBe(2);
    // Each from the version before it (the CLI renders a stretch of versions per thread).
    const pairs = await prisma.agreementDiff.findMany({
      select: { fromVersion: { select: { number: true } }, toVersion: { select: { number: true } } },
    });
    expect(pairs.map((d) => [d.fromVersion.number, d.toVersion.number]).sort()).toEqual([
      [1, 2],
      [2, 3],
    ]);
    const audits = await prisma.auditLogEntry.findMany({ where: { action: "agreement.versions.imported" } });
    expect(audits).toHaveLength(1);
    expect(audits[0]?.details).toMatchObject({
      via: "cli",
      versions: [{ number: 1 }, { number: 2 }, { number: 3 }],
    });
    // Published means immutable, imported or not.
    await expect(
      prisma.agreementVersion.update({ where: { number: 1 }, data: { bodyMarkdown: "changed" } }),
    ).rejects.toThrow();
  });

  it("is idempotent: a second run skips every file and writes nothing", async () => {
    const result = versionsImport([folder]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("a.md: already imported as version 1");
    expect(result.stdout).toContain("Imported 0 version(s), skipped 3 already imported");
    expect(await prisma.agreementVersion.count()).toBe(3);
    expect(await prisma.auditLogEntry.count({ where: { action: "agreement.versions.imported" } })).toBe(1);
  });

  it("refuses, writing nothing, a version dated before the latest one, a future one and bad front matter", async () => {
    const bad = await mkdtemp(path.join(tmpdir(), "accord-history-bad-"));
    try {
      await writeFile(path.join(bad, "old.md"), file("effective: 2018-01-01", "Older text."));
      await writeFile(path.join(bad, "future.md"), file("effective: 2999-01-01", "Future text."));
      const refused = versionsImport([bad]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(
        "old.md:\n  effective: 2018-01-01 is before the latest published version (2021-01-04)",
      );
      expect(refused.stderr).toContain("future.md:\n  effective: 2999-01-01 is in the future");
      expect(refused.stderr).toContain("Nothing imported.");

      await writeFile(path.join(bad, "broken.md"), file("effective: 1st of May\nmaterial: maybe", "Text."));
      const broken = versionsImport([bad]);
      expect(broken.status).toBe(1);
      expect(broken.stderr).toContain("broken.md:\n  effective: Write the date as YYYY-MM-DD.");
      expect(broken.stderr).toContain("material: material is true or false.");
      expect(await prisma.agreementVersion.count()).toBe(3);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });

  it("an admin adds one historical version with its past date and label: published, no notifications", async () => {
    const { createAdminContext } = await import("@/tests/helpers/admin-context");
    const { createDraft } = await import("@/lib/agreements/drafts");
    const { publishVersion } = await import("@/lib/agreements/publish");
    const admin = await createAdminContext({ ipTruncated: "198.51.100.0", userAgent: "vitest admin" });
    const draft = await createDraft(admin);
    if (!draft.ok) throw new Error(draft.message);
    const published = await publishVersion(
      admin,
      {
        versionId: draft.data.id,
        effectiveDate: "2022-03-01",
        lastUpdated: "2022-02-20",
        changeSummary: "As published in March 2022.",
        material: true,
        historical: true,
        label: "2022-03",
      },
      { timeZone: "UTC" },
    );
    expect(published.ok).toBe(true);
    const row = await prisma.agreementVersion.findUniqueOrThrow({ where: { id: draft.data.id } });
    expect(row).toMatchObject({ number: 4, historical: true, label: "2022-03", material: true });
    expect(row.effectiveAt?.toISOString()).toBe("2022-03-01T00:00:00.000Z");
    expect(await prisma.notificationRun.count()).toBe(0);
  });
});
