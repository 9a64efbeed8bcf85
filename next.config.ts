import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// Validate the environment at build and start: a bad variable fails here, by name.
import "./lib/env";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

// A build made for tests (`npm run test:e2e`, the benches) and only such a
// build: lets tests move the clock (lib/clock.ts) and contains the test-only
// routes, files named `route.test-build.ts` (app/api/test/). A production
// build does not even compile them: they are absent, not disabled.
const testBuild = process.env.ACCORD_TEST_BUILD === "1";

const nextConfig: NextConfig = {
  // Builds for e2e tests go to their own folder so they never mix with `npm start`'s.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Inlined at build time: only a build made for tests lets tests move the clock.
  env: { ACCORD_TEST_BUILD: testBuild ? "1" : "0", ACCORD_NEXT_BUNDLE: "1" },
  pageExtensions: testBuild ? ["tsx", "ts", "jsx", "js", "test-build.ts"] : ["tsx", "ts", "jsx", "js"],
  // `npm run typecheck` (tsc over the whole project, scripts and tests too) is
  // its own step of `npm test`; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: [
    "@node-rs/argon2",
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    // Starts worker threads from its own files: must stay a plain require (lib/agreements/render/pool.ts).
    "piscina",
  ],
  poweredByHeader: false,
  // Security headers (CSP with a per-request nonce, HSTS, ...) are set by the
  // custom server for every response: lib/server/security-headers.ts.
  experimental: {
    authInterrupts: true,
    // The custom server refuses bodies over 1 MiB with a 413 before Next reads
    // them (lib/server); Next's own limit sits above it so it never answers first.
    serverActions: { bodySizeLimit: "2mb" },
  },
};

export default withNextIntl(nextConfig);
