// The custom server with the fast paths `npm start` serves, on a free local
// port, for integration tests. Whatever no fast path answers goes to
// `handler` (418 by default: "this reached Next"), not to a Next.js app.
import { startAccordServer, type AccordServer, type RequestHandler } from "@/lib/server/create-server";
import { defaultFastPaths } from "@/lib/server/fast-paths";

export function startFastPathServer(
  handler: RequestHandler = async (_request, response) => {
    response.writeHead(418).end();
  },
): Promise<AccordServer> {
  return startAccordServer({
    appUrl: "http://localhost:3000",
    trustedProxies: [],
    port: 0,
    hostname: "127.0.0.1",
    fastPaths: defaultFastPaths,
    handler,
  });
}
