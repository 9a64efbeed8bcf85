// The installation's settings: the organisation file (ORGANISATION_SETTINGS_FILE,
// default config/organisation.json) plus AGREEMENT_TIMEZONE and
// AGREEMENT_BASE_URL from the environment. Read once per process.
import { readFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import { parseOrganisationSettings, type Settings } from "@/lib/settings/schema";

export type { OrganisationSettings, Settings } from "@/lib/settings/schema";

let cached: Settings | undefined;

export function getSettings(): Settings {
  if (cached) return cached;
  const file = path.resolve(/* turbopackIgnore: true */ process.cwd(), env.ORGANISATION_SETTINGS_FILE);
  let json: string;
  try {
    json = readFileSync(/* turbopackIgnore: true */ file, "utf8");
  } catch (error) {
    throw new Error(
      `ORGANISATION_SETTINGS_FILE: cannot read ${file} (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const organisation = parseOrganisationSettings(json, file);
  const baseUrl = env.AGREEMENT_BASE_URL ?? organisation.baseUrl;
  cached = {
    ...organisation,
    ...(baseUrl ? { baseUrl } : {}),
    timeZone: env.AGREEMENT_TIMEZONE,
  };
  return cached;
}
