import { diffAgreementText } from "@/lib/agreements/diff";
import { purposeChanges, type PurposeNoticeRef } from "@/lib/agreements/purpose-changes";
import { PurposeChangeList } from "@/components/agreement/purpose-change-list";
import { VersionDiff } from "@/components/agreement/version-diff";
import { Section } from "@/components/ui/section";

interface VersionSide {
  bodyMarkdown: string;
  purposes: readonly (PurposeNoticeRef & { name: string })[];
}

interface VersionChangesProps {
  /** null: compare with nothing, so everything in `to` is new. */
  from: VersionSide | null;
  to: VersionSide;
  /** Accessible name of the word diff. */
  label: string;
  purposesHeading: string;
  textHeading: string;
}

/** What changed between two versions: purposes added, changed or retired, then the text, word by word. */
export function VersionChanges({ from, to, label, purposesHeading, textHeading }: VersionChangesProps) {
  const before = from?.purposes ?? [];
  const names = Object.fromEntries([...before, ...to.purposes].map((p) => [p.key, p.name]));
  return (
    <>
      <Section id="purpose-changes" className="space-y-2" title={purposesHeading}>
        <PurposeChangeList changes={purposeChanges(before, to.purposes)} names={names} />
      </Section>
      <Section id="text-changes" className="space-y-2" title={textHeading}>
        <VersionDiff diff={diffAgreementText(from?.bodyMarkdown ?? "", to.bodyMarkdown)} label={label} />
      </Section>
    </>
  );
}
