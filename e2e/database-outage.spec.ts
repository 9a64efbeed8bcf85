// Finding 14 of issue 9, in the browser: the same build served by a second
// server whose database is down (DATABASE_URL points at a closed port). APIs
// answer 503 JSON with Retry-After; people get a page telling them to try
// again; sign-in says it cannot sign in now, with no internal address in the
// URL or on the page.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { test, expect } from "./fixtures";

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let server: ChildProcess | undefined;
let base = "";
let deadPort = 0;
/** The database's address or the driver's message (the app's own address is fine). */
const leaksInternals = (text: string) => /ECONNREFUSED|connect /.test(text) || text.includes(`:${deadPort}`);

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const port = await freePort();
  deadPort = await freePort(); // nothing listens here: the database is "down"
  base = `http://127.0.0.1:${port}`;
  server = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "scripts/http-server.ts"],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        LISTEN_HOST: "127.0.0.1",
        DATABASE_URL: `postgres://accord_runtime@127.0.0.1:${deadPort}/accord`,
        APP_URL: base,
        NEXTAUTH_URL: base,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  server.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  await expect
    .poll(
      async () => {
        if (server?.exitCode !== null) throw new Error(`the outage server exited:\n${log}`);
        return fetch(`${base}/api/v1/log/checkpoint`).then(
          (r) => r.status,
          () => 0,
        );
      },
      { timeout: 90_000 },
    )
    .toBe(503);
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
});

test("an API answers 503 JSON with Retry-After and no internal address", async ({ request }) => {
  const response = await request.get(`${base}/api/v1/log/checkpoint`);
  expect(response.status()).toBe(503);
  expect(response.headers()["retry-after"]).toBe("5");
  expect(response.headers()["content-type"]).toContain("application/json");
  const text = await response.text();
  expect(JSON.parse(text)).toMatchObject({ error: { code: "database_unavailable" } });
  expect(leaksInternals(text)).toBe(false);
});

test("a signed-in person's request and page: 503 from the API, a friendly page in the browser", async ({
  page,
  signInAs,
  snap,
  expectAccessible,
}) => {
  // Signed in on the working server; cookies are per host, so the outage server gets the session too.
  await signInAs(page, { accepted: true });
  const api = await page.request.get(`${base}/api/v1/me/events`);
  expect(api.status()).toBe(503);
  expect(leaksInternals(await api.text())).toBe(false);

  await page.goto(`${base}/account`);
  await expect(page.getByRole("heading", { name: "Something went wrong on our side" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Try again" })).toBeVisible();
  expect(leaksInternals(await page.content())).toBe(false);
  await snap(page, "database-outage-signed-in");
  await expectAccessible(page);
});

test("an anonymous page shows the same friendly page", async ({ page, snap, expectAccessible }) => {
  await page.goto(`${base}/agreement`);
  await expect(page.getByRole("heading", { name: "Something went wrong on our side" })).toBeVisible();
  expect(leaksInternals(await page.content())).toBe(false);
  await snap(page, "database-outage-anonymous");
  await expectAccessible(page);
});

test("sign-in says it is not possible now, with no address in the URL", async ({ page, snap }) => {
  const callbacks: string[] = [];
  page.on("response", (response) => {
    if (response.url().includes("/api/auth/callback/credentials"))
      void response.text().then((body) => callbacks.push(body));
  });
  await page.goto(`${base}/signin`);
  await page.getByLabel("Email").fill("someone@e2e.accord.test");
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Signing in" })).toContainText(
    "Signing in is not possible right now",
  );
  await expect.poll(() => callbacks.length).toBeGreaterThan(0);
  for (const body of callbacks) {
    expect(body).toContain("error=Unavailable");
    expect(leaksInternals(decodeURIComponent(body))).toBe(false);
  }
  expect(leaksInternals(decodeURIComponent(page.url()))).toBe(false);
  await snap(page, "database-outage-sign-in");
});
