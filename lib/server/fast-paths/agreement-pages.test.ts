import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { invalidateAgreementPages } from "@/lib/agreements/render/page-generation";
import { startAccordServer, type AccordServer } from "@/lib/server/create-server";
import { agreementPagesFastPath } from "./agreement-pages";

let running: AccordServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function get(server: AccordServer, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { headers });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const nonceOf = (answer: Answer) =>
  /'nonce-([^']+)'/.exec(String(answer.headers["content-security-policy"]))?.[1];

/** A stand-in for Next: a page that carries its request's nonce twice and counts its renders. */
async function start(options: { nextEffectiveAt?: number; fingerprint?: () => string } = {}) {
  const app = { renders: 0, clock: 1_000, text: "version 1" };
  const fastPath = agreementPagesFastPath({
    revalidateMs: 0,
    clock: () => app.clock,
    state: async () => ({
      fingerprint: options.fingerprint?.() ?? "f1",
      nextEffectiveAt: options.nextEffectiveAt ? new Date(options.nextEffectiveAt) : null,
    }),
  });
  running = await startAccordServer({
    appUrl: "http://localhost:3000",
    trustedProxies: [],
    port: 0,
    hostname: "127.0.0.1",
    fastPaths: [fastPath],
    handler: async (request, response) => {
      app.renders++;
      const nonce = /'nonce-([^']+)'/.exec(String(request.headers["content-security-policy"]))?.[1];
      const status = request.url === "/agreement/versions/9" ? 404 : 200;
      response.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
      response.end(
        `<script nonce="${nonce}">a</script><p>${app.text} ${request.headers.cookie}</p><script nonce="${nonce}">b</script>`,
      );
    },
  });
  return { server: running, app };
}

describe("agreement pages fast path", () => {
  it("renders once, then answers from the cache with each request's own nonce", async () => {
    const { server, app } = await start();
    const first = await get(server, "/agreement");
    const second = await get(server, "/agreement");
    expect(app.renders).toBe(1);
    for (const answer of [first, second]) {
      const nonce = nonceOf(answer);
      expect(answer.body).toBe(
        `<script nonce="${nonce}">a</script><p>version 1 locale=en</p><script nonce="${nonce}">b</script>`,
      );
    }
    expect(nonceOf(first)).not.toBe(nonceOf(second));
    expect(second.headers["content-length"]).toBe(String(Buffer.byteLength(second.body)));
  });

  it("leaves signed-in visitors, client navigations and other URLs to the app", async () => {
    const { server, app } = await start();
    await get(server, "/agreement", { cookie: "next-auth.session-token=abc" });
    await get(server, "/agreement", { rsc: "1" });
    await get(server, "/agreement?x=1");
    await get(server, "/agreement/diff?from=1&to=2&x=1");
    expect(app.renders).toBe(4);
    const missing = await get(server, "/agreement/versions/9");
    expect(missing.status).toBe(404);
    await get(server, "/agreement/versions/9");
    // Not shared: the first costs a loopback and the app's own answer, the next only the app's.
    expect(app.renders).toBe(7);
  });

  it("keeps one entry per locale and per diff pair", async () => {
    const { server, app } = await start();
    await get(server, "/agreement", { "accept-language": "zh-CN" });
    const zh = await get(server, "/agreement", { cookie: "locale=zh-CN" });
    await get(server, "/agreement/diff?from=1&to=2");
    await get(server, "/agreement/diff?to=2&from=1");
    await get(server, "/agreement/diff?from=1&to=3");
    expect(zh.body).toContain("locale=zh-CN");
    expect(app.renders).toBe(3);
  });

  it("expires at the instant the next version takes effect", async () => {
    const { server, app } = await start({ nextEffectiveAt: 5_000 });
    await get(server, "/agreement");
    app.clock = 4_999;
    app.text = "version 2";
    expect((await get(server, "/agreement")).body).toContain("version 1");
    app.clock = 5_000;
    expect((await get(server, "/agreement")).body).toContain("version 2");
  });

  it("drops entries when this process publishes or the published fingerprint changes", async () => {
    let fingerprint = "f1";
    const { server, app } = await start({ fingerprint: () => fingerprint });
    await get(server, "/agreement");
    app.text = "version 2";
    invalidateAgreementPages();
    expect((await get(server, "/agreement")).body).toContain("version 2");
    app.text = "version 3";
    fingerprint = "f2"; // published elsewhere: seen at the next check (revalidateMs 0 here)
    await get(server, "/agreement");
    expect((await get(server, "/agreement")).body).toContain("version 3");
  });
});
