/**
 * Finding 14 of issue 9, database outages: routes answered an empty 500,
 * sign-in put `connect ECONNREFUSED 127.0.0.1:5440` into the URL, and each
 * failed request logged about 20 lines. Here the app's pool goes through a
 * proxy in front of the test database; the proxy is stopped (refused and
 * dropped connections) and started again.
 */
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTcpProxy, type TcpProxy } from "@/tests/helpers/tcp-proxy";

type DbGlobals = { accordPool?: { end(): Promise<void> }; accordPrisma?: { $disconnect(): Promise<void> } };
const globals = globalThis as DbGlobals;

let proxy: TcpProxy;
let previousUrl: string | undefined;
let apiKey: string;

beforeAll(async () => {
  previousUrl = process.env.DATABASE_URL;
  const direct = new URL(previousUrl!);
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const proxied = new URL(direct);
  proxied.port = String(proxy.port);
  // lib/db caches its pool on globalThis: forget it so the next import connects through the proxy.
  delete globals.accordPool;
  delete globals.accordPrisma;
  process.env.DATABASE_URL = proxied.toString();
  const { createApiKey } = await import("@/lib/api-keys/api-keys");
  const created = await createApiKey(
    { actor: null, meta: null, via: "cli" },
    { name: `outage ${randomUUID()}`, scopes: ["versions:read"], rateLimitPerMinute: 1000 },
  );
  if (!created.ok) throw new Error(created.message);
  apiKey = created.data.key;
});

afterAll(async () => {
  await globals.accordPrisma?.$disconnect().catch(() => {});
  await globals.accordPool?.end().catch(() => {});
  delete globals.accordPool;
  delete globals.accordPrisma;
  process.env.DATABASE_URL = previousUrl;
  await proxy?.stop();
});

const checkpoint = async () => {
  const { GET } = await import("@/app/api/v1/log/checkpoint/route");
  return GET(new NextRequest("http://accord.test/api/v1/log/checkpoint"), { params: Promise.resolve({}) });
};
const currentVersion = async () => {
  const { GET } = await import("@/app/api/v1/versions/current/route");
  return GET(
    new NextRequest("http://accord.test/api/v1/versions/current", {
      headers: { authorization: `Bearer ${apiKey}` },
    }),
    { params: Promise.resolve({}) },
  );
};
const signIn = async () => {
  const { authOptions } = await import("@/lib/auth/options");
  const provider = authOptions.providers[0] as unknown as {
    options: { authorize(credentials: unknown, request: unknown): Promise<unknown> };
  };
  return provider.options.authorize(
    { email: "someone@int.accord.test", password: "correct horse battery staple" },
    { headers: {} },
  );
};

describe("with the database down", () => {
  it("routes answer 503 JSON with Retry-After, sign-in names no address, one log line per outage", async () => {
    // Up: answered normally.
    expect((await checkpoint()).status).not.toBe(503);
    expect((await currentVersion()).status).toBe(200);

    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const infos = vi.spyOn(console, "info").mockImplementation(() => {});
    try {
      await proxy.stop();

      for (const call of [checkpoint, currentVersion]) {
        const response = await call();
        expect(response.status).toBe(503);
        expect(response.headers.get("retry-after")).toBe("5");
        expect(response.headers.get("content-type")).toContain("application/json");
        const text = await response.text();
        expect(JSON.parse(text)).toEqual({
          error: {
            code: "database_unavailable",
            message: "The service is temporarily unavailable. Try again in a few seconds.",
          },
        });
        expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|5432|\d+\.\d+\.\d+\.\d+/);
      }

      // Sign-in: next-auth puts this message into /signin?error=...
      const refused = await signIn().then(
        () => null,
        (error: unknown) => error as Error,
      );
      expect(refused?.message).toBe("Unavailable");

      // A burst of failing requests: one line for the whole outage, not one per request.
      for (let i = 0; i < 30; i++) {
        expect((await checkpoint()).status).toBe(503);
        await signIn().catch(() => undefined);
      }
      const lines = errors.mock.calls.map((args) => args.map(String).join(" "));
      expect(lines.filter((line) => line.includes("the database is unavailable"))).toHaveLength(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toMatch(/127\.0\.0\.1|\d+\.\d+\.\d+\.\d+:\d+/);

      // Back: answered normally again, and one line says so.
      await proxy.start();
      expect((await currentVersion()).status).toBe(200);
      const back = infos.mock.calls.map((args) => args.map(String).join(" "));
      expect(back.filter((line) => line.includes("the database is back"))).toHaveLength(1);
      expect(errors.mock.calls).toHaveLength(1);
    } finally {
      errors.mockRestore();
      infos.mockRestore();
    }
  });
});
