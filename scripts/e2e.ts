// npm run test:e2e [-- playwright args]: a database made for the run, the app
// built for tests (ACCORD_TEST_BUILD=1 lets tests move the clock), served by
// Playwright's webServer, then everything cleaned up.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { createTestDatabase } from "../tests/helpers/test-database";
import { seed } from "../prisma/seed";
import { generateSignerKey } from "../lib/ledger/note";

function run(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  return result.status ?? 1;
}

const port = process.env.E2E_PORT ?? "3100";
const distDir = process.env.NEXT_DIST_DIR ?? ".next-e2e";
const database = await createTestDatabase();
mkdirSync(".data", { recursive: true });
const clockFile = `.data/e2e-clock-${port}.json`;
rmSync(clockFile, { force: true });

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  DATABASE_URL: database.runtimeUrl,
  DATABASE_POOL_SIZE: "10",
  NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
  LEDGER_SIGNING_KEY: generateSignerKey(`127.0.0.1:${port}/accord/consent-log`),
  NEXTAUTH_URL: `http://127.0.0.1:${port}`,
  APP_URL: `http://127.0.0.1:${port}`,
  ACCORD_TEST_BUILD: "1",
  ACCORD_CLOCK_FILE: clockFile,
  MAIL_DIR: `.data/e2e-mail-${port}`,
  NEXT_DIST_DIR: distDir,
  NEXT_TELEMETRY_DISABLED: "1",
  E2E_PORT: port,
};
rmSync(env.MAIL_DIR as string, { recursive: true, force: true });

let code = 1;
try {
  await seed(database.url, { demoAccounts: false });
  code = run("npx", ["next", "build"], env);
  if (code === 0) {
    // Fixtures call our services directly; the react-server condition lets
    // modules marked "server-only" load in the test process.
    const testEnv: NodeJS.ProcessEnv = {
      ...env,
      NODE_ENV: "test",
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --conditions=react-server`.trim(),
    };
    code = run("npx", ["playwright", "test", ...process.argv.slice(2)], testEnv);
  }
} finally {
  await database.drop();
  rmSync(clockFile, { force: true });
}
process.exit(code);
