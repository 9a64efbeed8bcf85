/**
 * Finding 11 of issue 9: test-only code must be absent from production
 * builds, not only disabled. This makes a production build of every API
 * route (as `npm start` would, minus the pages, to keep the test short) and
 * inspects its output: no test route in the route manifest, and no server
 * file carrying the bench route's code. A build made for tests
 * (ACCORD_TEST_BUILD=1) does have /api/test/bench-insert and
 * /api/test/bench-consent-format1 (next.config.ts
 * pageExtensions), which bench/consent-append.ts relies on.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const distDir = `.next-production-check-${randomBytes(4).toString("hex")}`;
const BUILD_TIMEOUT = 600_000; // a next build on two shared cores

afterAll(async () => {
  await rm(distDir, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe("a production build", () => {
  it("contains no test-only route or its code", { timeout: BUILD_TIMEOUT }, async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: distDir,
      NEXT_TELEMETRY_DISABLED: "1",
      SKIP_ENV_VALIDATION: "1",
    };
    delete env.ACCORD_TEST_BUILD;
    const build = spawnSync(
      "npx",
      ["next", "build", "--experimental-build-mode", "compile", "--debug-build-paths", "app/api/**"],
      { env, encoding: "utf8", timeout: BUILD_TIMEOUT },
    );
    expect(build.status, build.stderr || build.stdout).toBe(0);

    const manifest = JSON.parse(
      await readFile(path.join(distDir, "server", "app-paths-manifest.json"), "utf8"),
    ) as Record<string, string>;
    const routes = Object.keys(manifest);
    // The inspection sees the API: the consent route is there...
    expect(routes).toContain("/api/v1/me/consent/route");
    // ...and no test route is.
    expect(routes.filter((route) => route.startsWith("/api/test/"))).toEqual([]);

    // Nor is the bench route's code anywhere in what the server runs...
    const leaks: string[] = [];
    for (const file of await filesUnder(path.join(distDir, "server"))) {
      if (!/\.(js|json)$/.test(file) || file.endsWith(".nft.json")) continue;
      const text = await readFile(file, "utf8");
      if (/bench-insert|bench\.plain-insert|bench-consent-format1|bench_format1|route\.test-build/.test(text))
        leaks.push(file);
    }
    expect(leaks).toEqual([]);
    // ...nor its source among the files the build traces for deployment
    // (*.nft.json). A path.join(<dynamic>, ...) in bundled code makes the
    // tracer list the whole source tree, tests included: lib/clock.ts once did.
    const traced: string[] = [];
    for (const file of await filesUnder(path.join(distDir, "server"))) {
      if (!file.endsWith(".nft.json")) continue;
      const { files } = JSON.parse(await readFile(file, "utf8")) as { files: string[] };
      if (files.some((listed) => listed.includes("route.test-build"))) traced.push(file);
    }
    expect(traced).toEqual([]);
  });
});
