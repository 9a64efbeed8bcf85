import { getTranslations, getLocale } from "next-intl/server";
import { formatDateTime } from "@/lib/format";
import type { EventInLog } from "@/lib/ledger/log/event-in-log";

const term = "font-medium text-slate-700";
const mono = "break-all font-mono text-xs text-slate-900";

/** The event's leaf, the signed checkpoint over it, its witnesses and its inclusion proof (docs/ledger.md §12–§16). */
export async function LogEvidence({ eventId, log }: { eventId: string; log: EventInLog }) {
  const t = await getTranslations("auditExplorer");
  const locale = await getLocale();
  if (log.status !== "included") {
    return (
      <p className="text-sm text-slate-800" data-testid="evidence-log">
        {log.status === "pending"
          ? t("logPending", { seconds: log.maxMergeDelaySeconds })
          : t("logMissing", { seconds: log.maxMergeDelaySeconds })}
      </p>
    );
  }
  const { checkpoint } = log;
  return (
    <div className="space-y-4" data-testid="evidence-log">
      <p className="text-sm text-slate-800">
        {t("logIntro", {
          leaf: log.leafIndex,
          size: checkpoint.treeSize,
          at: formatDateTime(new Date(checkpoint.signedAt), locale),
        })}
      </p>
      <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[14rem_1fr]" data-testid="evidence-log-fields">
        <dt className={term}>{t("logOrigin")}</dt>
        <dd className={mono}>{checkpoint.origin}</dd>
        <dt className={term}>{t("logTreeSize")}</dt>
        <dd className={mono}>{checkpoint.treeSize}</dd>
        <dt className={term}>{t("logRootHash")}</dt>
        <dd className={mono}>{checkpoint.rootHash}</dd>
        <dt className={term}>{t("logSignature")}</dt>
        <dd className={checkpoint.signatureValid ? "text-green-800" : "text-red-800"}>
          {checkpoint.signatureValid
            ? `✓ ${t("logSignatureValid", { keyId: checkpoint.keyId })}`
            : `✗ ${t("logSignatureInvalid", { problem: checkpoint.signatureProblem ?? "" })}`}
        </dd>
        <dt className={term}>{t("logLeafIndex")}</dt>
        <dd className={mono}>{log.leafIndex}</dd>
        <dt className={term}>{t("logLeafHash")}</dt>
        <dd className={mono}>{log.leafHash}</dd>
        <dt className={term}>{t("logProof", { count: log.proof.length })}</dt>
        <dd>
          <ol className="list-decimal space-y-0.5 pl-5">
            {log.proof.map((hash, i) => (
              <li key={i} className={mono}>
                {hash}
              </li>
            ))}
          </ol>
        </dd>
        <dt className={term}>{t("logProofResult")}</dt>
        <dd className={log.proofValid ? "text-green-800" : "text-red-800"}>
          {log.proofValid ? `✓ ${t("logProofValid")}` : `✗ ${t("logProofInvalid")}`}
        </dd>
      </dl>
      {log.leafEventHashMatches ? null : (
        <p className="text-sm font-semibold text-red-800">
          {t("logLeafMismatch", { hash: log.leafEventHash })}
        </p>
      )}

      <div className="space-y-1">
        <h3 className="text-sm font-semibold text-slate-900">{t("logWitnessesTitle")}</h3>
        {log.witnesses.length === 0 ? (
          <p className="text-sm text-slate-700">{t("logNoWitnesses")}</p>
        ) : (
          <ul className="space-y-1 text-sm" data-testid="evidence-witnesses">
            {log.witnesses.map((witness, i) => {
              const cosigned = log.cosignatures.find((c) => c.witness === witness.name);
              return (
                <li key={`${i}-${witness.name}`}>
                  <span className="font-mono break-all">{witness.name}</span>:{" "}
                  {cosigned
                    ? t("logWitnessCosigned", { at: formatDateTime(new Date(cosigned.cosignedAt), locale) })
                    : witness.seenEvent
                      ? t("logWitnessSeen", { size: witness.latestSize ?? 0 })
                      : t("logWitnessNotSeen")}
                </li>
              );
            })}
          </ul>
        )}
      </div>

      <div className="space-y-1">
        <h3 className="text-sm font-semibold text-slate-900">{t("logNoteTitle")}</h3>
        <pre
          className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-3 font-mono text-xs text-slate-900"
          data-testid="evidence-checkpoint-note"
        >
          {checkpoint.note}
        </pre>
      </div>

      <div className="space-y-1">
        <h3 className="text-sm font-semibold text-slate-900">{t("logVerifyTitle")}</h3>
        <ol
          className="list-decimal space-y-1 pl-5 text-sm text-slate-800"
          data-testid="evidence-verify-steps"
        >
          <li>{t("logVerifyHash")}</li>
          <li>{t("logVerifyLeaf")}</li>
          <li>{t("logVerifyProof", { leaf: log.leafIndex, size: checkpoint.treeSize })}</li>
          <li>{t("logVerifySignature")}</li>
          <li>{t("logVerifyLater", { size: checkpoint.treeSize })}</li>
        </ol>
        <p className="text-sm">
          <a
            href={`/api/v1/log/inclusion?event=${eventId}&size=${checkpoint.treeSize}`}
            className="text-brand-700 underline"
          >
            {t("logProofJson")}
          </a>
        </p>
      </div>
    </div>
  );
}
