// Generated server-action calls for fuzzing (issue 9): the actions in a build
// (Next's server-reference manifest) and hostile arguments for them. Shared by
// e2e/fuzz-actions.spec.ts (a few per action in `npm test`) and
// bench/fuzz-actions.ts (10,000 per action).
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { poison } from "@/tests/security/fuzz-cases";

export interface Action {
  id: string;
  name: string;
  page: string;
}

function pagePath(worker: string): string {
  const segments = worker
    .replace(/^app\//, "")
    .replace(/\/?page$/, "")
    .split("/")
    .filter((segment) => segment && !/^\(.*\)$/.test(segment))
    .map((segment) => (/^\[.*\]$/.test(segment) ? "00000000-0000-4000-8000-000000000000" : segment));
  return `/${segments.join("/")}`;
}

/** Ending the caller's own sessions or account would make every later call a plain 401: fuzzed last. */
const LAST = /signOutEverywhere|deregister/i;

export function serverActions(distDir: string): Action[] {
  const manifest = JSON.parse(
    readFileSync(path.join(distDir, "server", "server-reference-manifest.json"), "utf8"),
  ) as { node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }> };
  return Object.entries(manifest.node)
    .map(([id, { filename, exportedName, workers }]) => {
      const pages = Object.keys(workers).filter((w) => w.endsWith("/page"));
      const page = pages.find((w) => !w.includes("[")) ?? pages[0] ?? "app/page";
      return { id, name: `${filename}#${exportedName}`, page: pagePath(page) };
    })
    .sort((a, b) => Number(LAST.test(a.name)) - Number(LAST.test(b.name)));
}

/** Field names the actions use, so generated objects reach the schemas' checks, not only "unknown key". */
const FIELDS = [
  "versionId",
  "purposeId",
  "title",
  "bodyMarkdown",
  "markdown",
  "key",
  "name",
  "description",
  "basic",
  "dpvTerm",
  "locale",
  "purposeKey",
  "action",
  "idempotencyKey",
  "noticeSha256",
  "shownSha256",
  "versionNumber",
  "effectiveDate",
  "lastUpdated",
  "changeSummary",
  "material",
  "reviewed",
  "email",
  "password",
  "type",
  "message",
  "reference",
  "id",
  "scopes",
  "rateLimit",
  "url",
  "events",
  "subject",
  "reason",
  "basis",
];

const value = fc.oneof(
  poison,
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom(
    "00000000-0000-4000-8000-000000000000",
    "2026-12-01",
    "zh-CN",
    "grant",
    "on",
    "x".repeat(20_000),
  ),
  fc.integer(),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
);

export const actionArgument = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 8 }),
  fc.dictionary(fc.string({ maxLength: 12 }), value, { maxKeys: 4 }),
  poison,
);
