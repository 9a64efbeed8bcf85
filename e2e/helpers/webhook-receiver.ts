// A customer's webhook endpoint for specs: verifies every request with the
// standardwebhooks library and keeps what it accepted.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Webhook } from "standardwebhooks";

export interface ReceivedWebhook {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  refused: string[];
  setSecret(secret: string): void;
  close(): Promise<void>;
}

type Extra = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** Listens on `port`; POST /hooks is the webhook endpoint, `extra` may answer other paths first. */
export async function startWebhookReceiver(port: number, extra?: Extra): Promise<WebhookReceiver> {
  let secret = "";
  const received: ReceivedWebhook[] = [];
  const refused: string[] = [];
  const server: Server = createServer(async (req, res) => {
    if (extra && (await extra(req, res))) return;
    if (req.method !== "POST" || !req.url?.startsWith("/hooks")) return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    try {
      const payload = new Webhook(secret).verify(body, req.headers as Record<string, string>) as {
        type: string;
        data: Record<string, unknown>;
      };
      received.push({ id: String(req.headers["webhook-id"]), type: payload.type, data: payload.data });
      res.writeHead(204).end();
    } catch (error) {
      refused.push(String(error));
      res.writeHead(400).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    refused,
    setSecret: (value) => void (secret = value),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
