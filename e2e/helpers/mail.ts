// Mail in end-to-end tests: the real outbox worker, run from the test process
// against the test database, delivers to a real SMTP server in this process.
// So the spec reads what a user's mail client would, and follows the links.
import { drainQueue } from "@/lib/notifications/worker";
import { createMailer } from "@/lib/notifications/mailer";
import { startMailCatcher, type MailCatcher } from "@/tests/helpers/mail-catcher";

export async function deliverMail(catcher: MailCatcher, appUrl: string) {
  return drainQueue({ mailer: createMailer({ smtpUrl: catcher.url }), appUrl });
}

/** The links in a message's text part that point into the app. */
export function appLinks(text: string | undefined, appUrl: string): string[] {
  return [...(text ?? "").matchAll(/https?:\/\/\S+/g)]
    .map((m) => m[0])
    .filter((url) => url.startsWith(appUrl));
}

export { startMailCatcher, type MailCatcher };
