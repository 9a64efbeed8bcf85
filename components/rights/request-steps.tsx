import { getTranslations, getLocale } from "next-intl/server";
import { formatDateTime } from "@/lib/format";

interface Step {
  id: bigint;
  action: string;
  actorId: string | null;
  actorEmail: string | null;
  createdAt: Date;
}

/** The request's steps as the audit log recorded them. */
export async function RequestSteps({ steps, subjectId }: { steps: Step[]; subjectId: string }) {
  const t = await getTranslations("desk.detail");
  const locale = await getLocale();
  // Actions are "rights.request.<step>"; catalogue keys cannot hold dots.
  const label = (action: string) => {
    const step = action.replace(/^rights\.request\./, "");
    return t.has(`steps.${step}`) ? t(`steps.${step}`) : action;
  };
  const who = (step: Step) =>
    step.actorEmail ??
    (step.actorId === subjectId ? t("theUser") : step.actorId ? step.actorId : t("system"));
  return (
    <ol className="space-y-2 text-sm" data-testid="request-steps">
      {steps.map((step) => (
        <li key={step.id.toString()} className="flex flex-wrap gap-x-3">
          <time dateTime={step.createdAt.toISOString()} className="text-slate-600">
            {formatDateTime(step.createdAt, locale)}
          </time>
          <span className="font-medium text-slate-900">{label(step.action)}</span>
          <span className="text-slate-700">{t("stepBy", { who: who(step) })}</span>
        </li>
      ))}
    </ol>
  );
}
