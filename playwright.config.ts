import { defineConfig } from "@playwright/test";

// Run through `npm run test:e2e` (scripts/e2e.ts), which creates the database,
// builds the app for tests and sets the variables read here.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  // One server and one clock file: specs that move time must not interleave.
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  outputDir: "test-results/e2e",
  use: {
    baseURL,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  // The built app behind the custom server (lib/server), as `npm start` serves it.
  webServer: {
    command: `node --import tsx --conditions=react-server scripts/http-server.ts`,
    env: { PORT: String(port), LISTEN_HOST: "127.0.0.1", NODE_ENV: "production" },
    url: `${baseURL}/agreement`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
