import "server-only";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";

export interface OutgoingMail {
  /** Outbox row id: names the .eml file and makes the Message-ID, so a resend replaces rather than duplicates. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  readonly kind: "smtp" | "file";
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  smtpUrl?: string | undefined;
  mailDir?: string;
  from?: string;
  /** Right-hand side of Message-IDs (default: APP_URL's host name). */
  messageIdDomain?: string;
}

/**
 * The Message-ID of an outbox row: the same for every attempt at sending it,
 * so a receiver that already has the message (a crash after the SMTP server
 * accepted it, before the outbox recorded that) drops the repeat. The domain
 * is the installation's own (APP_URL), so two installations never collide.
 */
export function notificationMessageId(id: string, domain: string): string {
  return `<notification-${id}@${domain}>`;
}

/**
 * SMTP when SMTP_URL is set; otherwise the exact same RFC 5322 message, built
 * by nodemailer's stream transport, is written as an .eml file under MAIL_DIR.
 */
export function createMailer(options: MailerOptions = {}): Mailer {
  const smtpUrl = "smtpUrl" in options ? options.smtpUrl : env.SMTP_URL;
  const from = options.from ?? env.MAIL_FROM;
  const domain = options.messageIdDomain ?? new URL(env.APP_URL).hostname;
  if (smtpUrl) {
    const transport: Transporter = nodemailer.createTransport(smtpUrl);
    return {
      kind: "smtp",
      async send(mail) {
        await transport.sendMail(envelope(mail, from, domain));
      },
      close: () => transport.close(),
    };
  }
  const dir = options.mailDir ?? env.MAIL_DIR;
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    kind: "file",
    async send(mail) {
      const info = await transport.sendMail(envelope(mail, from, domain));
      await mkdir(dir, { recursive: true });
      const file = join(dir, `notification-${mail.id}.eml`);
      // Write then rename: a reader never sees half a message.
      await writeFile(`${file}.tmp`, info.message as Buffer);
      await rename(`${file}.tmp`, file);
    },
    close: () => transport.close(),
  };
}

function envelope(mail: OutgoingMail, from: string, domain: string) {
  return {
    messageId: notificationMessageId(mail.id, domain),
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: { "X-Accord-Notification": mail.id },
  };
}
