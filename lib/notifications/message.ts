// The email sent when a material version is published. Pure: the worker, the
// tests and the bench build the same message.
import { formatDate, isoDate } from "@/lib/format";
import { translatorFor } from "@/lib/i18n/translator";
import type { Locale } from "@/lib/i18n/locales";
import { escapeHtml, type ComposedEmail } from "@/lib/notifications/blocks";

export type { ComposedEmail };

export interface VersionEmailInput {
  appUrl: string;
  title: string;
  number: number;
  changeSummary: string | null;
  effectiveAt: Date;
  /** The recipient's language; the title should be the version's title in it. */
  locale?: Locale;
  /** The organisation's time zone, in which the effective date is read (AGREEMENT_TIMEZONE). */
  timeZone?: string;
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
  locale = "en",
  timeZone = "UTC",
}: VersionEmailInput): ComposedEmail {
  const t = translatorFor(locale, "emails.versionNotice");
  const when = formatDate(effectiveAt, locale, timeZone);
  const link = diffUrl(appUrl, number);
  const account = `${appUrl.replace(/\/+$/, "")}/account`;
  const summary = changeSummary?.trim() || t("noSummary");
  const subject = t("subject", { title, when });
  const text = [
    t("intro", { title, number, when, isoDate: isoDate(effectiveAt, timeZone) }),
    "",
    `${t("whatChanges")}:`,
    summary,
    "",
    `${t("readDiff")}: ${link}`,
    "",
    `${t("acceptNow")}: ${account}`,
    t("ifYouDisagree", { url: `${account}/deregister` }),
  ].join("\n");
  const html = [
    `<p>${t.markup("introHtml", {
      title: escapeHtml(title),
      number,
      when: escapeHtml(when),
      strong: (chunks) => `<strong>${chunks}</strong>`,
    })}</p>`,
    `<h2>${escapeHtml(t("whatChanges"))}</h2>`,
    `<p>${escapeHtml(summary).replace(/\n/g, "<br>")}</p>`,
    `<p><a href="${escapeHtml(link)}">${escapeHtml(t("readDiff"))}</a></p>`,
    `<p>${t.markup("acceptNowHtml", { link: (chunks) => `<a href="${escapeHtml(account)}">${chunks}</a>` })}`,
    ` ${t.markup("ifYouDisagreeHtml", { link: (chunks) => `<a href="${escapeHtml(account)}/deregister">${chunks}</a>` })}</p>`,
  ].join("\n");
  return { subject, text, html };
}
