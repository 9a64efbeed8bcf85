import { Alert } from "@/components/ui/alert";

/** Why the revision must be material, before the admin publishes it. */
export function PublishWarnings({
  materialReasons,
  materialTitle,
}: {
  materialReasons: readonly string[];
  materialTitle: string;
}) {
  if (materialReasons.length === 0) return null;
  return (
    <div className="max-w-3xl space-y-3" data-testid="publish-warnings">
      <Alert tone="warning" title={materialTitle}>
        <ul className="list-disc space-y-1 pl-5">
          {materialReasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      </Alert>
    </div>
  );
}
