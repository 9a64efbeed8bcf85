// The app for bench/service-api.ts: the custom server over a built app, with
// its fast paths (as `npm start` serves) or, with --no-fast-paths, without
// them, so the same build's Next.js routes can be measured as "today".
//   PORT=… NEXT_DIST_DIR=… node --import tsx --conditions=react-server bench/service-app-server.ts [--no-fast-paths]
import { env } from "@/lib/env";
import { startAccordServer } from "@/lib/server/create-server";
import { defaultFastPaths } from "@/lib/server/fast-paths";

const server = await startAccordServer({
  appUrl: env.APP_URL,
  trustedProxies: [],
  port: Number(process.env.PORT),
  hostname: "127.0.0.1",
  fastPaths: process.argv.includes("--no-fast-paths") ? [] : defaultFastPaths,
});
console.log(`[bench] serving on ${server.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => void server.close().then(() => process.exit(0)));
