import Link from "next/link";
import { getTranslations, getLocale } from "next-intl/server";
import { formatDateTime } from "@/lib/format";
import { EVENT_COLUMNS } from "@/lib/ledger/export/export-format";
import type { EventEvidence } from "@/lib/audit/evidence";
import { CheckResult } from "@/components/audit/check-result";
import { LogEvidence } from "@/components/audit/log-evidence";
import { formatProblem } from "@/lib/ledger/check/problems";

const section = "space-y-2 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200";
const heading = "text-lg font-semibold text-slate-900";

export async function EvidenceView({ evidence }: { evidence: EventEvidence }) {
  const t = await getTranslations("auditExplorer");
  const locale = await getLocale();
  const { event, subject, version, purpose, checkpoint, log, previous, next } = evidence;
  return (
    <div className="space-y-4">
      <section aria-labelledby="checks-title" className={section}>
        <h2 id="checks-title" className={heading}>
          {t("checksTitle")}
        </h2>
        <dl className="divide-y divide-slate-100 text-sm" data-testid="evidence-checks">
          <CheckResult
            label={t("checkHash")}
            passed={evidence.pruned ? null : evidence.hashMatches}
            yes={t("pass")}
            no={evidence.pruned ? t("prunedCheck") : t("failCheck")}
          />
          <CheckResult
            label={t("checkLink")}
            passed={evidence.link === "ok" ? true : evidence.link === "not_checkable" ? null : false}
            yes={t("pass")}
            no={evidence.link === "gap" ? t("linkGap") : t("failCheck")}
          />
          <CheckResult
            label={t("checkNotice")}
            passed={evidence.noticeMatches}
            yes={t("pass")}
            no={t("failCheck")}
          />
          <CheckResult
            label={t("checkLog")}
            passed={
              log.status === "included"
                ? log.proofValid && log.checkpoint.signatureValid && log.leafEventHashMatches
                : log.status === "pending"
                  ? null
                  : false
            }
            yes={t("pass")}
            no={log.status === "pending" ? t("notYet") : t("failCheck")}
          />
        </dl>
        {evidence.problems.length ? (
          <div className="space-y-1">
            <h3 className="text-sm font-semibold text-red-800">{t("problemsTitle")}</h3>
            <ul className="space-y-1 font-mono text-xs text-red-800" data-testid="evidence-problems">
              {evidence.problems.map((problem, i) => (
                <li key={i} className="break-all">
                  {formatProblem(problem)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="subject-title" className={section}>
        <h2 id="subject-title" className={heading}>
          {t("subjectTitle")}
        </h2>
        <p className="text-sm text-slate-800">
          {subject.email ?? t("unknownUser")} <span className="text-slate-600">({event.subjectId})</span>
          {subject.deregisteredAt
            ? ` — ${t("deregistered", { at: formatDateTime(new Date(subject.deregisteredAt), locale) })}`
            : null}
        </p>
      </section>

      <section aria-labelledby="notice-title" className={section}>
        <h2 id="notice-title" className={heading}>
          {t("noticeTitle")}
        </h2>
        <p className="text-sm text-slate-800">
          {version ? `${version.title} — ${t("version")} ${version.number}` : event.versionId}
        </p>
        {purpose ? (
          <div className="text-sm text-slate-800">
            <p className="font-medium">
              {purpose.name}{" "}
              <span className="text-slate-600">
                ({purpose.key}
                {purpose.dpvTerm ? `, ${purpose.dpvTerm}` : ""})
              </span>
            </p>
            <p>{purpose.description}</p>
          </div>
        ) : null}
        <p className="break-all font-mono text-xs text-slate-700">SHA-256 {event.noticeSha256}</p>
      </section>

      <section aria-labelledby="fields-title" className={section}>
        <h2 id="fields-title" className={heading}>
          {t("fieldsTitle")}
        </h2>
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]" data-testid="evidence-fields">
          {EVENT_COLUMNS.map((column) => (
            <div key={column} className="contents">
              <dt className="font-medium text-slate-700">{column}</dt>
              <dd className="break-all font-mono text-xs text-slate-900">
                {event[column] === null ? "null" : String(event[column])}
              </dd>
            </div>
          ))}
          <dt className="font-medium text-slate-700">{t("recomputedHash")}</dt>
          <dd className="break-all font-mono text-xs text-slate-900">{evidence.recomputedHash}</dd>
        </dl>
      </section>

      <section aria-labelledby="chain-title" className={section}>
        <h2 id="chain-title" className={heading}>
          {t("chainTitle")}
        </h2>
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]">
          <dt className="font-medium text-slate-700">{t("previousEvent")}</dt>
          <dd>
            {previous ? (
              <Link
                href={`/audit/events/${previous.id}`}
                className="font-mono text-xs text-brand-700 underline"
              >
                {previous.id}
              </Link>
            ) : event.seq === 1 ? (
              t("genesis")
            ) : (
              t("none")
            )}
          </dd>
          <dt className="font-medium text-slate-700">{t("nextEvent")}</dt>
          <dd>
            {next ? (
              <Link href={`/audit/events/${next.id}`} className="font-mono text-xs text-brand-700 underline">
                {next.id}
              </Link>
            ) : (
              t("none")
            )}
          </dd>
        </dl>
      </section>

      <section aria-labelledby="log-title" className={section}>
        <h2 id="log-title" className={heading}>
          {t("logTitle")}
        </h2>
        <LogEvidence eventId={event.id} log={log} />
        {checkpoint ? (
          <div className="space-y-1 border-t border-slate-100 pt-2">
            <h3 className="text-sm font-semibold text-slate-900">{t("checkpointTitle")}</h3>
            <p className="text-sm text-slate-800">
              {t("checkpointBody", {
                id: checkpoint.id,
                count: checkpoint.eventCount,
                from: checkpoint.txidFrom,
                to: checkpoint.txidTo,
                at: formatDateTime(new Date(checkpoint.createdAt), locale),
              })}
            </p>
            <p className="break-all font-mono text-xs text-slate-700">{checkpoint.merkleRoot}</p>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="receipt-title" className={section}>
        <h2 id="receipt-title" className={heading}>
          {t("receiptTitle")}
        </h2>
        <p className="text-sm text-slate-700">{t("receiptBody")}</p>
        <pre
          className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-3 font-mono text-xs text-slate-900"
          data-testid="canonical-json"
        >
          {evidence.canonicalJson}
        </pre>
        <ul className="flex flex-wrap gap-6 text-sm">
          {evidence.receipt ? (
            <li>
              <a
                href={`/api/v1/audit/events/${event.id}/receipt`}
                download={`consent-receipt-${event.id}.json`}
                className="text-brand-700 underline"
              >
                {t("downloadReceipt")}
              </a>
            </li>
          ) : null}
          <li>
            <a
              href={`/api/v1/audit/events/${event.id}`}
              download={`consent-event-${event.id}.json`}
              className="text-brand-700 underline"
            >
              {t("downloadEvidence")}
            </a>
          </li>
        </ul>
      </section>
    </div>
  );
}
