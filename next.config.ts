import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// Validate the environment at build and start: a bad variable fails here, by name.
import "./lib/env";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

const nextConfig: NextConfig = {
  // Builds for e2e tests go to their own folder so they never mix with `npm start`'s.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Inlined at build time: only a build made for tests lets tests move the clock.
  env: { ACCORD_TEST_BUILD: process.env.ACCORD_TEST_BUILD === "1" ? "1" : "0" },
  experimental: { authInterrupts: true },
  // `npm run typecheck` (tsc over the whole project, scripts and tests too) is
  // its own step of `npm test`; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["@node-rs/argon2", "@electric-sql/pglite", "@electric-sql/pglite-socket"],
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
