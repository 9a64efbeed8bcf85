// The ledger against real Postgres: concurrency, idempotency, append-only
// enforcement, and the SQL-computed hash agreeing with the documented format.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { pool, prisma } from "@/lib/db";
import { eventHash } from "@/lib/ledger/event-hash";
import { appendConsentEvent } from "@/lib/ledger/append";
import { changePurposeConsent } from "@/lib/consent/change-purpose";
import { acceptAgreement } from "@/lib/consent/accept-agreement";
import { getVersionInEffect } from "@/lib/agreements/versions";
import { verifyLedger } from "@/lib/ledger/verify-ledger";

const meta = { ipTruncated: "192.0.2.0", userAgent: "vitest", locale: "en", gpc: false };

async function acceptedUser() {
  const user = await prisma.user.create({
    data: { email: `ledger-${randomUUID()}@int.accord.test`, passwordHash: "not-a-real-hash" },
  });
  const version = await getVersionInEffect();
  if (!version) throw new Error("seeded version missing");
  const accepted = await acceptAgreement({
    subjectId: user.id,
    versionId: version.id,
    shownSha256: version.bodySha256,
    method: "WEB",
    meta,
  });
  expect(accepted.ok).toBe(true);
  return user.id;
}

async function chainOf(subjectId: string) {
  return prisma.consentEvent.findMany({ where: { subjectId }, orderBy: { seq: "asc" } });
}

afterAll(async () => {
  await prisma.$disconnect();
});

describe("consent ledger", () => {
  it("stores the hash the documented format gives, for hostile text too", async () => {
    const subjectId = await acceptedUser();
    const version = await getVersionInEffect();
    const appended = await appendConsentEvent({
      subjectId,
      action: "PURPOSE_GRANTED",
      versionId: version!.id,
      versionNumber: 1,
      purposeKey: "surveys",
      noticeSha256: "d".repeat(64),
      method: "API",
      ipTruncated: null,
      userAgent: 'q"uote \\ \n\t\u0001 é中文 😀 \u2028 \x7f',
      locale: "zh-CN",
      idempotencyKey: "api:ключ-é",
    });
    const [first, second] = await chainOf(subjectId);
    expect(second?.id).toBe(appended.id);
    expect(second?.prevHash).toBe(first?.hash);
    expect(second?.hash).toBe(
      eventHash({
        id: second!.id,
        subjectId,
        seq: 2,
        action: "PURPOSE_GRANTED",
        versionId: version!.id,
        versionNumber: 1,
        purposeKey: "surveys",
        noticeSha256: "d".repeat(64),
        method: "API",
        recordedAt: second!.recordedAt.toISOString(),
        ipTruncated: null,
        userAgent: 'q"uote \\ \n\t\u0001 é中文 😀 \u2028 \x7f',
        locale: "zh-CN",
        idempotencyKey: "api:ключ-é",
        prevHash: first!.hash,
      }),
    );
  });

  it("keeps one valid chain under 50 concurrent grants and withdrawals, and the state equals the last event", async () => {
    const subjectId = await acceptedUser();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        changePurposeConsent({
          subjectId,
          purposeKey: "personalisation",
          action: i % 2 === 0 ? "grant" : "withdraw",
          method: "API",
          meta,
          idempotencyKey: `api:concurrent-${i}`,
        }),
      ),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    const chain = await chainOf(subjectId);
    expect(chain.map((event) => event.seq)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    chain.forEach((event, i) => {
      if (i > 0) expect(event.prevHash).toBe(chain[i - 1]?.hash);
    });
    const last = chain.at(-1)!;
    const state = await prisma.consentState.findUniqueOrThrow({
      where: { subjectId_purposeKey: { subjectId, purposeKey: "personalisation" } },
    });
    expect(state.eventId).toBe(last.id);
    expect(state.granted).toBe(last.action === "PURPOSE_GRANTED");
    const head = await prisma.consentSubject.findUniqueOrThrow({ where: { subjectId } });
    expect([head.seq, head.headHash]).toEqual([51, last.hash]);

    const report = await verifyLedger(pool);
    expect(report.problems.filter((problem) => problem.subjectId === subjectId)).toEqual([]);
  });

  it("records one event for a doubly submitted idempotency key, and answers both alike", async () => {
    const subjectId = await acceptedUser();
    const submit = () =>
      changePurposeConsent({
        subjectId,
        purposeKey: "surveys",
        action: "grant",
        method: "API",
        meta,
        idempotencyKey: "api:double-submit",
      });
    const results = await Promise.all([submit(), submit(), submit()]);
    const later = await submit();
    const events = await prisma.consentEvent.findMany({ where: { subjectId, purposeKey: "surveys" } });
    expect(events).toHaveLength(1);
    const bodies = [...results, later].map((result) =>
      result.ok ? { ...result.data, replayed: undefined } : result,
    );
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect([...results, later].filter((result) => result.ok && !result.data.replayed)).toHaveLength(1);
  });

  it("refuses to reuse an idempotency key for a different request, writing nothing", async () => {
    const subjectId = await acceptedUser();
    const base = { subjectId, method: "API" as const, meta, idempotencyKey: "api:reused" };
    expect((await changePurposeConsent({ ...base, purposeKey: "surveys", action: "grant" })).ok).toBe(true);
    const reused = await changePurposeConsent({ ...base, purposeKey: "surveys", action: "withdraw" });
    expect(reused).toMatchObject({ ok: false, status: 409, code: "idempotency_key_reused" });
    expect(await prisma.consentEvent.count({ where: { subjectId } })).toBe(2);
  });

  it("gives the app's runtime role no way to change the ledger but the append function", async () => {
    const subjectId = await acceptedUser();
    const [event] = await chainOf(subjectId);
    const denied = { code: "42501" }; // insufficient_privilege
    await expect(pool.query("SELECT current_user AS role")).resolves.toMatchObject({
      rows: [{ role: "accord_runtime" }],
    });
    for (const sql of [
      "UPDATE consent_events SET method = 'API' WHERE id = $1",
      "DELETE FROM consent_events WHERE id = $1",
      "INSERT INTO consent_events SELECT * FROM consent_events WHERE id = $1",
      "UPDATE consent_subjects SET seq = 0 WHERE subject_id = (SELECT subject_id FROM consent_events WHERE id = $1)",
      "DELETE FROM ledger_leaves WHERE event_id = $1",
    ])
      await expect(pool.query(sql, [event!.id])).rejects.toMatchObject(denied);
    for (const sql of [
      "TRUNCATE consent_events",
      "ALTER TABLE consent_events DISABLE TRIGGER consent_events_append_only",
      "SET session_replication_role = replica",
      "INSERT INTO ledger_tree_nodes (level, idx, hash) VALUES (40, 0, '\\x00')",
      "CREATE TABLE sneaky (id int)",
    ])
      await expect(pool.query(sql)).rejects.toMatchObject(denied);
    expect((await chainOf(subjectId)).map((e) => [e.id, e.method])).toEqual([[event!.id, "WEB"]]);
  });

  it("appends for different subjects without waiting on each other", async () => {
    const subjects = await Promise.all(Array.from({ length: 4 }, () => acceptedUser()));
    // Hold one subject's head lock in an open transaction: the others still append.
    const blocker = await pool.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("SELECT 1 FROM consent_subjects WHERE subject_id = $1 FOR UPDATE", [subjects[0]]);
      const others = await Promise.all(
        subjects.slice(1).map((subjectId) =>
          changePurposeConsent({
            subjectId,
            purposeKey: "surveys",
            action: "grant",
            method: "API",
            meta,
            idempotencyKey: "api:x",
          }),
        ),
      );
      expect(others.every((result) => result.ok)).toBe(true);
    } finally {
      await blocker.query("ROLLBACK");
      blocker.release();
    }
  });
});
