// What an installation says about itself: the document's title and the
// organisation behind it. One zod schema, so a bad settings file stops the
// app at start with the field that is wrong (docs/versions.md, "Settings").
import { z } from "zod";

const text = (max: number) => z.string().trim().min(1).max(max);

export const organisationSettingsSchema = z.strictObject({
  /** The agreement's name as shown on every page, e.g. "Privacy Statement". */
  documentTitle: text(200),
  organisation: z.strictObject({
    name: text(200),
    contact: text(200),
    address: text(500),
    email: z.email(),
    phone: text(50),
  }),
  /** The service the agreement covers, as named in consent receipts. */
  serviceName: text(200),
  /** ISO 3166 country code of the jurisdiction receipts are issued under. */
  jurisdiction: z.string().regex(/^[A-Z]{2}$/, { error: "Use a two-letter country code such as CN or DE." }),
  /** Base URL for site-relative links in the agreement; AGREEMENT_BASE_URL overrides it. */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  retentionPeriod: text(1000),
  crossBorderTransfer: z.strictObject({ occurs: z.boolean(), description: text(1000) }),
  /** DPV personal-data categories per purpose key; `default` for the rest. */
  piiCategories: z.record(z.string(), z.array(z.string().min(1))).default({}),
  /** Purposes whose data is sensitive personal information, with what it is. */
  sensitivePurposes: z.record(z.string(), z.string().min(1)).default({}),
});

export type OrganisationSettings = z.infer<typeof organisationSettingsSchema>;

export interface Settings extends OrganisationSettings {
  /** IANA time zone in which calendar dates (effective, last updated) are read. */
  timeZone: string;
}

/** Parses a settings file's text; the error names the file and each bad field. */
export function parseOrganisationSettings(json: string, source: string): OrganisationSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = organisationSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new Error(`${source} has invalid settings:\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}
