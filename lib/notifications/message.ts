// The email sent when a material version is published. Pure: the worker, the
// tests and the bench build the same message.
import { formatDate, isoDate } from "@/lib/format";
import { escapeHtml, type ComposedEmail } from "@/lib/notifications/blocks";

export type { ComposedEmail };

export interface VersionEmailInput {
  appUrl: string;
  title: string;
  number: number;
  changeSummary: string | null;
  effectiveAt: Date;
}

export function diffUrl(appUrl: string, number: number): string {
  const base = appUrl.replace(/\/+$/, "");
  return number > 1
    ? `${base}/agreement/diff?from=${number - 1}&to=${number}`
    : `${base}/agreement/versions/${number}`;
}

export function composeVersionEmail({
  appUrl,
  title,
  number,
  changeSummary,
  effectiveAt,
}: VersionEmailInput): ComposedEmail {
  const when = formatDate(effectiveAt);
  const link = diffUrl(appUrl, number);
  const account = `${appUrl.replace(/\/+$/, "")}/account`;
  const summary = changeSummary?.trim() || "See the changes at the link below.";
  const subject = `Changes to the ${title} take effect on ${when}`;
  const text = [
    `We are changing the ${title}. Version ${number} takes effect on ${when} (${isoDate(effectiveAt)}).`,
    "",
    "What changes:",
    summary,
    "",
    `Read every change, word by word: ${link}`,
    "",
    `You can accept the new version now, or when you next sign in: ${account}`,
    `If you do not agree, you can stop using the service and close (deregister) your account before that date: ${account}/deregister`,
  ].join("\n");
  const html = [
    `<p>We are changing the ${escapeHtml(title)}. Version ${number} takes effect on <strong>${escapeHtml(when)}</strong>.</p>`,
    `<h2>What changes</h2>`,
    `<p>${escapeHtml(summary).replace(/\n/g, "<br>")}</p>`,
    `<p><a href="${escapeHtml(link)}">Read every change, word by word</a></p>`,
    `<p>You can <a href="${escapeHtml(account)}">accept the new version now</a>, or when you next sign in.`,
    ` If you do not agree, you can stop using the service and <a href="${escapeHtml(account)}/deregister">close (deregister) your account</a> before that date.</p>`,
  ].join("\n");
  return { subject, text, html };
}
