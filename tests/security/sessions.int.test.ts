// Issue 9, finding 3: sign-out did not end a session, /api/auth/session
// renewed it forever, and there was no absolute lifetime.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import {
  bumpSessionVersion,
  readSessionActor,
  SESSION_ABSOLUTE_SECONDS,
  SESSION_COOKIE,
  sessionTokenFrom,
} from "@/lib/auth/session";
import { authOptions } from "@/lib/auth/options";
import { createSignedInUser, sessionCookie } from "@/tests/helpers/session-cookie";

describe("sessions (finding 3)", () => {
  it("a session reads its user in one query, and no longer once the version is bumped", async () => {
    const user = await createSignedInUser();
    expect(await readSessionActor(user.cookie)).toEqual({ id: user.id, email: user.email, role: "USER" });
    await bumpSessionVersion(user.id);
    expect(await readSessionActor(user.cookie)).toBeNull();
    // A new sign-in gets the new version and works.
    const fresh = await sessionCookie({ id: user.id, sessionVersion: user.sessionVersion + 1 });
    expect(await readSessionActor(fresh)).toMatchObject({ id: user.id });
  });

  it("signing out ends the saved cookie too (next-auth's signOut event bumps the version)", async () => {
    const user = await createSignedInUser();
    const saved = user.cookie;
    const token = sessionTokenFrom(saved);
    const { decode } = await import("next-auth/jwt");
    const claims = await decode({ token: token ?? undefined, secret: process.env.NEXTAUTH_SECRET as string });
    await authOptions.events?.signOut?.({ token: claims as never, session: null as never });
    expect(await readSessionActor(saved)).toBeNull();
  });

  it("bumps inside a transaction, with the rest of a change", async () => {
    const user = await createSignedInUser();
    await prisma.$transaction(async (tx) => bumpSessionVersion(user.id, tx));
    expect(await readSessionActor(user.cookie)).toBeNull();
  });

  it("/api/auth/session cannot renew an ended session: the jwt callback refuses it", async () => {
    const user = await createSignedInUser();
    const token = { sub: user.id, sv: user.sessionVersion, authAt: Math.floor(Date.now() / 1000) };
    const jwt = authOptions.callbacks?.jwt;
    if (!jwt) throw new Error("no jwt callback");
    await expect(jwt({ token } as never)).resolves.toMatchObject({ sub: user.id });
    await bumpSessionVersion(user.id);
    await expect(jwt({ token } as never)).rejects.toThrow("The session has ended.");
  });

  it("has an absolute lifetime: a session signed in 12 hours ago is over, however often renewed", async () => {
    const user = await createSignedInUser();
    const old = new Date(Date.now() - (SESSION_ABSOLUTE_SECONDS + 60) * 1000);
    expect(await readSessionActor(await sessionCookie(user, { authAt: old }))).toBeNull();
    const jwt = authOptions.callbacks?.jwt;
    const token = { sub: user.id, sv: user.sessionVersion, authAt: Math.floor(old.getTime() / 1000) };
    await expect(jwt?.({ token } as never)).rejects.toThrow();
    const recent = new Date(Date.now() - (SESSION_ABSOLUTE_SECONDS - 60) * 1000);
    expect(await readSessionActor(await sessionCookie(user, { authAt: recent }))).not.toBeNull();
  });

  it("refuses forged, damaged and missing cookies, and deregistered users", async () => {
    const user = await createSignedInUser();
    const forged = await sessionCookie(user, { secret: randomBytes(32).toString("hex") });
    expect(await readSessionActor(forged)).toBeNull();
    expect(await readSessionActor(`${user.cookie.slice(0, -4)}AAAA`)).toBeNull();
    expect(await readSessionActor(`${SESSION_COOKIE}=not-a-token`)).toBeNull();
    expect(await readSessionActor("")).toBeNull();
    expect(await readSessionActor(null)).toBeNull();
    await prisma.user.update({ where: { id: user.id }, data: { deregisteredAt: new Date() } });
    expect(await readSessionActor(user.cookie)).toBeNull();
  });

  it("reads a cookie next-auth split into chunks", async () => {
    const user = await createSignedInUser();
    const token = sessionTokenFrom(user.cookie) as string;
    const half = Math.floor(token.length / 2);
    const chunked = `other=1; ${SESSION_COOKIE}.0=${token.slice(0, half)}; ${SESSION_COOKIE}.1=${token.slice(half)}`;
    expect(await readSessionActor(chunked)).toMatchObject({ id: user.id });
  });
});
