// npm run apikey:create -- --name "IM backend" --scope status:read --scope consent:write [--rate-limit 6000] [--json]
// Creates an API key on the configured database (or the embedded one), for
// automation. The key is printed once (with --json: one JSON object on
// stdout) and only its hash is stored. The audit log records the creation.
import { parseArgs } from "node:util";
import { ensureDatabase, ensureSecret } from "./lib/runtime-env";
import { createApiKeySchema } from "../lib/api-keys/schemas";
import { API_SCOPES } from "../lib/api-keys/scopes";

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let values: { name?: string; scope?: string[]; "rate-limit"?: string; json?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      name: { type: "string" },
      scope: { type: "string", multiple: true },
      "rate-limit": { type: "string" },
      json: { type: "boolean", default: false },
    },
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

const parsed = createApiKeySchema.safeParse({
  name: values.name ?? "",
  scopes: values.scope ?? [],
  ...(values["rate-limit"] !== undefined ? { rateLimitPerMinute: values["rate-limit"] } : {}),
});
if (!parsed.success) {
  const flags: Record<string, string> = {
    name: "--name",
    scopes: "--scope",
    rateLimitPerMinute: "--rate-limit",
  };
  fail(
    parsed.error.issues
      .map((issue) => `${flags[String(issue.path[0])] ?? "input"}: ${issue.message}`)
      .concat(`(scopes: ${API_SCOPES.join(", ")})`)
      .join("\n"),
  );
}

ensureSecret();
const database = await ensureDatabase();
const { createApiKey } = await import("../lib/api-keys/api-keys");
const result = await createApiKey({ actor: null, meta: null, via: "cli" }, parsed.data);
const { pool } = await import("../lib/db");
await pool.end();
await database.stop();
if (!result.ok) fail(result.message);

const key = result.data;
if (values.json) {
  console.log(
    JSON.stringify({
      id: key.id,
      name: key.name,
      key: key.key,
      scopes: key.scopes,
      rateLimitPerMinute: key.rateLimitPerMinute,
    }),
  );
} else {
  console.log(
    `Created API key "${key.name}" (${key.displayPrefix}…, id ${key.id}) on ${database.description}\n` +
      `scopes: ${key.scopes.join(", ")}; limit ${key.rateLimitPerMinute} requests a minute.\n` +
      "Copy the key now: Accord keeps only its hash and cannot show it again.\n",
  );
  console.log(key.key);
}
process.exit(0);
