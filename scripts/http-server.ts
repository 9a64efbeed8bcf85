// Serves an already built app through the custom server (lib/server), nothing
// else: no migrations, no seed, no background jobs. Used by the e2e runner's
// Playwright webServer and by the benches; `npm start` (scripts/serve.ts) does
// the same in-process after preparing the database and the build.
//   PORT=3109 LISTEN_HOST=127.0.0.1 NEXT_DIST_DIR=.next-e2e tsx --conditions=react-server scripts/http-server.ts
import { env } from "@/lib/env";
import { startAccordServer } from "@/lib/server/create-server";
import { defaultFastPaths } from "@/lib/server/fast-paths";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.LISTEN_HOST || undefined;

const server = await startAccordServer({
  appUrl: env.APP_URL,
  trustedProxies: env.TRUSTED_PROXIES,
  port,
  hostname,
  fastPaths: defaultFastPaths,
});
console.log(`[server] listening on ${server.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => void server.close().then(() => process.exit(0)));
