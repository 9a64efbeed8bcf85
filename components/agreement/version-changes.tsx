import { getTranslations } from "next-intl/server";
import type { SectionDiff } from "@/lib/agreements/diff";
import { purposeChanges, type PurposeNoticeRef } from "@/lib/agreements/purpose-changes";
import { diffMarkdown } from "@/lib/agreements/render/pool";
import { PurposeChangeList } from "@/components/agreement/purpose-change-list";
import { SectionDiffView, type DiffViewMode } from "@/components/agreement/section-diff";
import { Alert } from "@/components/ui/alert";
import { Section } from "@/components/ui/section";

interface VersionSide {
  number?: number | null;
  bodyMarkdown: string;
  purposes: readonly (PurposeNoticeRef & { name: string })[];
}

interface VersionChangesProps {
  /** null: compare with nothing, so everything in `to` is new. */
  from: VersionSide | null;
  to: VersionSide;
  /** Accessible name of the diff. */
  label: string;
  purposesHeading: string;
  textHeading: string;
  /** The stored or cached diff (lib/agreements/render/store.ts); computed in the render worker if absent. */
  diff?: SectionDiff;
  view?: DiffViewMode;
}

/** What changed between two versions: purposes added, changed or retired, then the text, section by section. */
export async function VersionChanges({
  from,
  to,
  label,
  purposesHeading,
  textHeading,
  diff,
  view = "unified",
}: VersionChangesProps) {
  const t = await getTranslations("versions.diff");
  const before = from?.purposes ?? [];
  const names = Object.fromEntries([...before, ...to.purposes].map((p) => [p.key, p.name]));
  const text = diff
    ? ({ ok: true, value: diff } as const)
    : await diffMarkdown(from?.bodyMarkdown ?? "", to.bodyMarkdown);
  return (
    <>
      <Section id="purpose-changes" className="space-y-2" title={purposesHeading}>
        <PurposeChangeList changes={purposeChanges(before, to.purposes)} names={names} />
      </Section>
      <Section id="text-changes" className="space-y-2" title={textHeading}>
        {text.ok ? (
          <SectionDiffView
            diff={text.value}
            label={label}
            view={view}
            fromNumber={from?.number ?? null}
            toNumber={to.number ?? 0}
          />
        ) : (
          <Alert tone="error" title={t("failed")}>
            {text.error.message}
          </Alert>
        )}
      </Section>
    </>
  );
}
