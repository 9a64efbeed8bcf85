// The readable page of "Download my data": the same content as the JSON
// archive, as one self-contained HTML document written in chunks. Pure.
import { escapeHtml as e } from "@/lib/notifications/blocks";
import type { ReceiptEvent } from "@/lib/consent/receipt";
import type { SubjectData } from "@/lib/data-export/collect";

/** A translator for the "myData" namespace (next-intl's, or any with its keys). */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

const iso = (value: Date | null | undefined) => (value ? value.toISOString().replace(".000Z", "Z") : "—");

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#0f172a}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #cbd5e1;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f5f9}code{font-size:.85em;word-break:break-all}h2{margin-top:2rem}`;

function table(t: Translate, caption: string, head: string[], rows: string[][]): string {
  if (!rows.length) return `<h2>${e(caption)}</h2><p>${e(t("none"))}</p>`;
  return `<h2>${e(caption)}</h2><table><thead><tr>${head.map((h) => `<th scope="col">${e(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

export function htmlHead(t: Translate, generatedAt: Date): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(t("title"))}</title><style>${STYLE}</style></head><body><main><h1>${e(
    t("title"),
  )}</h1><p>${e(t("generatedAt", { when: iso(generatedAt) }))}</p><p>${e(t("jsonHint"))}</p>`;
}

export function htmlSections(t: Translate, data: SubjectData): string {
  const { account, agreement } = data;
  const parts = [
    table(
      t,
      t("account"),
      [t("field"), t("value")],
      [
        [e(t("accountId")), `<code>${e(account.id)}</code>`],
        [e(t("email")), e(account.email)],
        [e(t("role")), e(account.role)],
        [e(t("locale")), e(account.locale)],
        [e(t("createdAt")), e(iso(account.createdAt))],
        [e(t("deregisteredAt")), e(iso(account.deregisteredAt))],
        [e(t("acceptedVersion")), e(String(agreement?.acceptedVersionNumber ?? "—"))],
        [e(t("gpcAppliedAt")), e(iso(agreement?.gpcAppliedAt))],
      ],
    ),
    table(
      t,
      t("consent"),
      [t("purpose"), t("granted"), t("version"), t("method"), t("since")],
      data.consent.map((c) => [
        `<code>${e(c.purposeKey)}</code>`,
        e(c.granted ? t("yes") : t("no")),
        e(String(c.versionNumber)),
        e(c.method),
        e(iso(c.updatedAt)),
      ]),
    ),
    table(
      t,
      t("versionsAccepted"),
      [t("version"), t("versionTitle"), t("bodySha256"), t("firstAcceptedAt")],
      data.versionsAccepted.map((v) => [
        e(String(v.versionNumber)),
        e(v.title),
        `<code>${e(v.bodySha256)}</code>`,
        e(iso(v.firstAcceptedAt)),
      ]),
    ),
    table(
      t,
      t("noticesAccepted"),
      [t("version"), t("purpose"), t("noticeSha256"), t("firstAcceptedAt")],
      data.noticesAccepted.map((n) => [
        e(String(n.versionNumber)),
        e(n.purposeName ?? n.purposeKey),
        `<code>${e(n.noticeSha256)}</code>`,
        e(iso(n.firstAcceptedAt)),
      ]),
    ),
    table(
      t,
      t("emails"),
      [t("emailKind"), t("to"), t("status"), t("queuedAt"), t("sentAt")],
      data.emails.map((m) => [e(m.kind), e(m.to), e(m.status), e(iso(m.createdAt)), e(iso(m.sentAt))]),
    ),
    table(
      t,
      t("requests"),
      [t("reference"), t("requestType"), t("status"), t("receivedAt"), t("message"), t("outcome")],
      data.requests.map((r) => [
        e(r.reference),
        e(r.type),
        e(r.status),
        e(iso(r.receivedAt)),
        e(r.message ?? "—"),
        e(r.outcome ?? "—"),
      ]),
    ),
    `<h2>${e(t("events"))}</h2><table><thead><tr>${[
      t("seq"),
      t("recordedAt"),
      t("action"),
      t("purpose"),
      t("version"),
      t("method"),
      t("hash"),
      t("receipt"),
    ]
      .map((h) => `<th scope="col">${e(h)}</th>`)
      .join("")}</tr></thead><tbody>`,
  ];
  return parts.join("");
}

export function htmlEvent(
  t: Translate,
  event: ReceiptEvent,
  version: { purposes: { key: string; name: string }[] } | null,
  receiptUrl: string,
): string {
  const purpose = event.purposeKey
    ? (version?.purposes.find((p) => p.key === event.purposeKey)?.name ?? event.purposeKey)
    : "—";
  return `<tr><td>${event.seq}</td><td>${e(iso(event.recordedAt))}</td><td>${e(event.action)}</td><td>${e(
    purpose,
  )}</td><td>${event.versionNumber}</td><td>${e(event.method)}</td><td><code>${e(
    event.hash,
  )}</code></td><td><a href="${e(receiptUrl)}">${e(t("download"))}</a></td></tr>`;
}

export function htmlFooter(t: Translate, count: number): string {
  return `</tbody></table><p>${e(t("eventCount", { count }))}</p></main></body></html>`;
}
