// A real SMTP server inside the test process, and the parsed mail it got:
// what the app sends is read as any mail client would read it.
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";

export interface MailCatcherOptions {
  /** Recipients the server refuses, with the reply code (4xx: try again later; 5xx: no such mailbox). */
  refuse?: ReadonlyMap<string, number>;
  /**
   * Runs after a message has been received in full and before the server
   * accepts it (its 250 reply), for fault tests; the mail is already recorded.
   */
  beforeAccept?: (mail: ParsedMail) => Promise<void>;
}

export async function startMailCatcher({ refuse = new Map(), beforeAccept }: MailCatcherOptions = {}) {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = refuse.get(address.address);
      if (!code) return callback();
      const error = Object.assign(new Error(code >= 500 ? "No such mailbox" : "Try again later"), {
        responseCode: code,
      });
      callback(error);
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          received.push(mail);
          await beforeAccept?.(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  if (!address || typeof address === "string") throw new Error("SMTP server has no port");
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    received,
    to: (email: string) => received.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === email),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type MailCatcher = Awaited<ReturnType<typeof startMailCatcher>>;
