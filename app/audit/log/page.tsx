import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { AUDIT_ROLES, requirePageActor } from "@/lib/auth/actor";
import { describeLog, latestCheckpoint, witnessOverview } from "@/lib/ledger/log/public-log";
import { Table } from "@/components/ui/table";
import { Section } from "@/components/ui/section";

export const metadata: Metadata = { title: "Transparency log" };

export default async function AuditLogPage() {
  await requirePageActor("/audit/log", AUDIT_ROLES);
  const t = await getTranslations("auditLog");
  const format = await getFormatter();
  const [checkpoint, witnesses, log] = await Promise.all([
    latestCheckpoint(),
    witnessOverview(),
    describeLog(),
  ]);
  const when = (date: Date) =>
    format.dateTime(date, { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
        <p className="max-w-prose text-slate-700">{t("intro")}</p>
      </header>
      <Section id="log-latest" title={t("latestHeading")}>
        {checkpoint ? (
          <dl
            className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]"
            data-testid="log-checkpoint"
          >
            <dt className="font-semibold text-slate-700">{t("treeSize")}</dt>
            <dd>{format.number(checkpoint.treeSize)}</dd>
            <dt className="font-semibold text-slate-700">{t("rootHash")}</dt>
            <dd className="font-mono break-all">{checkpoint.rootHash}</dd>
            <dt className="font-semibold text-slate-700">{t("signedAt")}</dt>
            <dd>{when(checkpoint.signedAt)}</dd>
            <dt className="font-semibold text-slate-700">{t("origin")}</dt>
            <dd className="font-mono break-all">{log.origin}</dd>
            <dt className="font-semibold text-slate-700">{t("publicKey")}</dt>
            <dd className="font-mono break-all">{log.verifierKey}</dd>
          </dl>
        ) : (
          <p className="text-slate-700">{t("noCheckpoint")}</p>
        )}
      </Section>
      <Section id="log-witnesses" title={t("witnessesHeading")}>
        {witnesses.length === 0 ? (
          <p className="text-slate-700">{t("noWitnesses")}</p>
        ) : (
          <Table
            caption={t("witnessesCaption")}
            columns={[t("witnessName"), t("witnessLatest"), t("witnessAt"), t("witnessCount")]}
            testId="log-witnesses"
          >
            {witnesses.map((witness) => {
              const behind =
                checkpoint && witness.latestSize !== null ? checkpoint.treeSize - witness.latestSize : null;
              return (
                <tr key={witness.vkey}>
                  <td className="px-4 py-2 font-mono break-all">{witness.name}</td>
                  <td className="px-4 py-2">
                    {witness.latestSize === null ? t("neverSeen") : format.number(witness.latestSize)}
                    {behind !== null && (
                      <span className="ml-2 text-slate-600">
                        ({behind > 0 ? t("behind", { count: behind }) : t("upToDate")})
                      </span>
                    )}
                  </td>
                  <td className="px-4 py-2">{witness.latestAt ? when(witness.latestAt) : t("neverSeen")}</td>
                  <td className="px-4 py-2">{format.number(witness.cosignatures)}</td>
                </tr>
              );
            })}
          </Table>
        )}
      </Section>
    </div>
  );
}
