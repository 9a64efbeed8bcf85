import "server-only";
import { readFileSync } from "node:fs";
import { env } from "@/lib/env";
import { parseSignerKey, parseVerifierKey, type NoteSigner, type NoteVerifier } from "@/lib/ledger/note";

// The log key lives outside the database: in LEDGER_SIGNING_KEY or the file
// LEDGER_SIGNING_KEY_FILE names. Its name is the log's origin.
let cached: NoteSigner | undefined;

export function logSigner(): NoteSigner {
  if (cached) return cached;
  const text =
    env.LEDGER_SIGNING_KEY ?? (env.LEDGER_SIGNING_KEY_FILE ? readKeyFile(env.LEDGER_SIGNING_KEY_FILE) : "");
  if (!text)
    throw new Error(
      "No log signing key: set LEDGER_SIGNING_KEY or LEDGER_SIGNING_KEY_FILE (docs/deployment.md).",
    );
  cached = parseSignerKey(text);
  return cached;
}

function readKeyFile(path: string): string {
  return readFileSync(/* turbopackIgnore: true */ path, "utf8").trim();
}

/** The keys whose log signatures verify: the current one and the earlier ones in LEDGER_TRUSTED_KEYS. */
export function logVerifiers(): NoteVerifier[] {
  const earlier = (env.LEDGER_TRUSTED_KEYS ?? "")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(parseVerifierKey);
  return [logSigner(), ...earlier];
}
