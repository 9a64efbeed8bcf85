import { Alert } from "@/components/ui/alert";

/** What the admin must know before publishing: why it must be material, and what the text may show wrongly. */
export function PublishWarnings({
  materialReasons,
  warnings,
  materialTitle,
  warningsTitle,
}: {
  materialReasons: readonly string[];
  warnings: readonly string[];
  materialTitle: string;
  warningsTitle: string;
}) {
  if (materialReasons.length === 0 && warnings.length === 0) return null;
  return (
    <div className="max-w-3xl space-y-3" data-testid="publish-warnings">
      {materialReasons.length > 0 ? (
        <Alert tone="warning" title={materialTitle}>
          <ul className="list-disc space-y-1 pl-5">
            {materialReasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {warnings.length > 0 ? (
        <Alert tone="warning" title={warningsTitle}>
          <ul className="list-disc space-y-1 pl-5">
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
    </div>
  );
}
