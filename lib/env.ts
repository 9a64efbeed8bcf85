// The one place that reads the environment. A missing or malformed variable
// stops the process at start with a message that names it.
import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";
import { compileTrustedProxies, parseTrustedProxies } from "./server/client-address";

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const localUrl = z.url({ protocol: /^https?$/ });

export const env = createEnv({
  server: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "DATABASE_URL must be a postgres:// URL" }),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    /** Set by `npm start` when it serves the embedded PGlite database (lib/db/unnamed-statements.ts). */
    DATABASE_EMBEDDED: z
      .enum(["0", "1"])
      .default("0")
      .transform((value) => value === "1"),
    NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters"),
    /**
     * Seals secrets Accord must keep readable (webhook signing secrets, token
     * signing keys; lib/secrets/seal.ts). Unset: derived from NEXTAUTH_SECRET,
     * so rotating that secret would also make them unreadable.
     */
    SEALING_KEY: z.string().min(32, "SEALING_KEY must be at least 32 characters").optional(),
    APP_URL: localUrl.default("http://localhost:3000"),
    /**
     * Proxies whose X-Forwarded-For may be believed, comma-separated: addresses,
     * CIDR ranges, or "loopback" / "linklocal" / "uniquelocal". Empty (the
     * default): the client address is the socket's peer (lib/server).
     */
    TRUSTED_PROXIES: z
      .string()
      .default("")
      .transform(parseTrustedProxies)
      .superRefine((entries, ctx) => {
        try {
          compileTrustedProxies(entries);
        } catch (error) {
          ctx.addIssue({
            code: "custom",
            message: `TRUSTED_PROXIES must list addresses or CIDR ranges (${error instanceof Error ? error.message : String(error)})`,
          });
        }
      }),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().min(3).default("Accord <no-reply@accord.local>"),
    MAIL_DIR: z.string().min(1).default(".data/mail"),
    NOTICE_PERIOD_DAYS: z.coerce.number().int().min(0).max(365).default(7),
    /** Time zone in which the agreement's calendar dates are read (lib/settings, docs/versions.md). */
    AGREEMENT_TIMEZONE: z
      .string()
      .default("UTC")
      .refine((zone) => isTimeZone(zone), {
        error: "AGREEMENT_TIMEZONE must be an IANA time zone such as UTC or Asia/Shanghai",
      }),
    /** Base URL against which site-relative links in the agreement resolve (e.g. https://example.com). */
    AGREEMENT_BASE_URL: z
      .url({ protocol: /^https?$/, error: "AGREEMENT_BASE_URL must be an http(s) URL" })
      .optional(),
    /** JSON file with the organisation's name, contact details and document title (lib/settings). */
    ORGANISATION_SETTINGS_FILE: z.string().min(1).default("config/organisation.json"),
    /** The log's signing key (docs/ledger.md §13): a note signer key, `PRIVATE+KEY+<origin>+<id>+<key>`. */
    LEDGER_SIGNING_KEY: z.string().startsWith("PRIVATE+KEY+").optional(),
    /** Or a file holding it (`npm start` creates .data/ledger-signing-key for local use). */
    LEDGER_SIGNING_KEY_FILE: z.string().min(1).optional(),
    /** Verifier keys of earlier log keys, separated by spaces or commas, so their signatures still verify. */
    LEDGER_TRUSTED_KEYS: z.string().optional(),
    /** Consent changes one person may make per minute, web and JSON API together (lib/auth/rate-limit.ts). */
    CONSENT_WRITES_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    /** Accounts one address may create per hour (lib/auth/rate-limit.ts). */
    SIGN_UPS_PER_HOUR: z.coerce.number().int().min(1).default(10),
    /** Honoured only by builds made for tests (see lib/clock.ts). */
    ACCORD_CLOCK_FILE: z.string().default(".data/test-clock.json"),
  },
  client: {},
  runtimeEnv: {
    NODE_ENV: process.env.NODE_ENV,
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE,
    DATABASE_EMBEDDED: process.env.DATABASE_EMBEDDED,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET,
    SEALING_KEY: process.env.SEALING_KEY,
    APP_URL: process.env.APP_URL,
    TRUSTED_PROXIES: process.env.TRUSTED_PROXIES,
    SMTP_URL: process.env.SMTP_URL,
    MAIL_FROM: process.env.MAIL_FROM,
    MAIL_DIR: process.env.MAIL_DIR,
    NOTICE_PERIOD_DAYS: process.env.NOTICE_PERIOD_DAYS,
    AGREEMENT_TIMEZONE: process.env.AGREEMENT_TIMEZONE,
    AGREEMENT_BASE_URL: process.env.AGREEMENT_BASE_URL,
    ORGANISATION_SETTINGS_FILE: process.env.ORGANISATION_SETTINGS_FILE,
    ACCORD_CLOCK_FILE: process.env.ACCORD_CLOCK_FILE,
    CONSENT_WRITES_PER_MINUTE: process.env.CONSENT_WRITES_PER_MINUTE,
    SIGN_UPS_PER_HOUR: process.env.SIGN_UPS_PER_HOUR,
    LEDGER_SIGNING_KEY: process.env.LEDGER_SIGNING_KEY,
    LEDGER_SIGNING_KEY_FILE: process.env.LEDGER_SIGNING_KEY_FILE,
    LEDGER_TRUSTED_KEYS: process.env.LEDGER_TRUSTED_KEYS,
  },
  // `next build` collects pages without a database; the server validates at start.
  skipValidation: process.env.SKIP_ENV_VALIDATION === "1",
  emptyStringAsUndefined: true,
});
