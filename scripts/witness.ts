// npm run witness -- <accord-url> [--state <dir>] [--log-key <verifier key>] [--name <witness name>]
// Witnesses an Accord log (docs/ledger.md §16): checks its latest checkpoint
// against the one kept in the state folder (default .data/witness), cosigns
// it and hands the cosignature to the log. Exit 0 when witnessed; 3 bad
// signature, 4 rollback, 5 fork (all loud); 1 on other errors. Needs only the
// log's public endpoints, never its database.
import { parseArgs } from "node:util";
import { EXIT_CODES, witnessKey, witnessOnce, type LogClient } from "../lib/ledger/witness";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    state: { type: "string", default: ".data/witness" },
    "log-key": { type: "string" },
    name: { type: "string" },
  },
});
const base = positionals[0];
if (!base) {
  console.error(
    "Usage: npm run witness -- <accord-url> [--state <dir>] [--log-key <verifier key>] [--name <name>]",
  );
  process.exit(1);
}

async function get(pathname: string): Promise<Response> {
  const response = await fetch(new URL(pathname, base));
  if (!response.ok) throw new Error(`${pathname}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

const client: LogClient = {
  checkpoint: async () => (await get("/api/v1/log/checkpoint")).text(),
  consistency: async (from, to) => {
    const body = (await (await get(`/api/v1/log/consistency?from=${from}&to=${to}`)).json()) as {
      proof: string[];
    };
    return body.proof.map((hash) => Buffer.from(hash, "base64"));
  },
  verifierKey: async () =>
    ((await (await get("/.well-known/accord-log.json")).json()) as { verifierKey: string }).verifierKey,
  submit: async (cosigned) => {
    const response = await fetch(new URL("/api/v1/log/cosignatures", base), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ cosigned }),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  },
};

const { verifierKey } = witnessKey(values.state, values.name);
const outcome = await witnessOnce({
  stateDir: values.state,
  client,
  ...(values["log-key"] ? { logKey: values["log-key"] } : {}),
  ...(values.name ? { name: values.name } : {}),
});
if (outcome.status === "witnessed") {
  console.log(
    `witnessed ${base}: tree size ${outcome.size}, root ${outcome.root}` +
      (outcome.previousSize === null
        ? " (first checkpoint seen)"
        : `, consistent with size ${outcome.previousSize}`),
  );
  if (!outcome.submitted)
    console.log(
      `the log did not accept the cosignature; ask its operator to register this witness:\n  ${verifierKey}`,
    );
} else {
  const banner = "!".repeat(72);
  console.error(`${banner}\n${outcome.status.toUpperCase()}: ${outcome.message}\n${banner}`);
}
process.exit(EXIT_CODES[outcome.status]);
