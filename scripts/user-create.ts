// npm run user:create -- --email a@b.c --role admin
// Creates an account on the configured database (or the embedded one). The
// password is read from stdin when piped, otherwise prompted for without echo.
import { parseArgs } from "node:util";
import { createInterface } from "node:readline";
import { ensureDatabase, ensureSecret } from "./lib/runtime-env";
import { emailSchema, passwordSchema, roleSchema } from "../lib/auth/schemas";

const { values } = parseArgs({
  options: { email: { type: "string" }, role: { type: "string", default: "user" } },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let data = "";
    for await (const chunk of process.stdin) data += chunk;
    return data.replace(/\r?\n$/, "");
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stdout.write("Password: ");
  muted._writeToOutput = () => {};
  const answer = await new Promise<string>((resolve) => rl.question("", resolve));
  rl.close();
  process.stdout.write("\n");
  return answer;
}

const email = emailSchema.safeParse(values.email ?? "");
if (!email.success) fail(`--email: ${email.error.issues[0]?.message ?? "invalid"}`);
const role = roleSchema.safeParse(values.role?.toUpperCase());
if (!role.success) fail("--role must be one of: user, admin, auditor");
const password = passwordSchema.safeParse(await readPassword());
if (!password.success) fail(`password: ${password.error.issues.map((i) => i.message).join(" ")}`);

ensureSecret();
const database = await ensureDatabase();
const { createUser } = await import("../lib/users/create-user");
const result = await createUser({ email: email.data, password: password.data, role: role.data });
await database.stop();
if (!result.ok) fail(result.message);
console.log(
  `Created ${result.data.role} ${result.data.email} (${result.data.id}) on ${database.description}.`,
);
process.exit(0);
