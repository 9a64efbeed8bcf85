"use client";

import { useActionState, useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { useKeepValues } from "@/components/ui/use-keep-values";
import type { ActionState, FormAction } from "@/lib/auth/action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { ContentWarnings } from "@/components/admin/content-warnings";
import type { TextReview } from "@/lib/agreements/content-review";

type PreviewAction = (
  state: ActionState<{ html: string }>,
  data: FormData,
) => Promise<ActionState<{ html: string }>>;

interface DraftEditorProps<T extends { review: TextReview }> {
  versionId: string;
  title: string;
  bodyMarkdown: string;
  initialPreviewHtml: string;
  save: FormAction<T>;
  preview: PreviewAction;
}

const PREVIEW_DELAY_MS = 300;

/**
 * Markdown on the left, the rendered agreement on the right. The preview is
 * rendered on the server by the same sanitising renderer the public pages use,
 * so what the admin sees is exactly what readers will get.
 */
export function DraftEditor<T extends { review: TextReview }>({
  versionId,
  title,
  bodyMarkdown,
  initialPreviewHtml,
  save,
  preview,
}: DraftEditorProps<T>) {
  const t = useTranslations("adminVersions.editor");
  const [state, formAction, pending] = useActionState(save, null);
  const keepValues = useKeepValues(formAction);
  const [markdown, setMarkdown] = useState(bodyMarkdown);
  const [previewHtml, setPreviewHtml] = useState(initialPreviewHtml);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;

  useEffect(() => {
    if (markdown === bodyMarkdown && previewHtml === initialPreviewHtml) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      const data = new FormData();
      data.set("markdown", markdown);
      const result = await preview(null, data);
      if (cancelled || !result) return;
      if (result.ok) {
        setPreviewHtml(result.data.html);
        setPreviewError(null);
      } else {
        setPreviewError(result.message);
      }
    }, PREVIEW_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // Only the text drives the preview.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [markdown]);

  return (
    <form onSubmit={keepValues} className="space-y-4" aria-labelledby="editor-heading">
      <h2 id="editor-heading" className="text-lg font-semibold text-slate-900">
        {t("heading")}
      </h2>
      <input type="hidden" name="versionId" value={versionId} />
      <TextField name="title" label={t("title")} defaultValue={title} required errors={fieldErrors?.title} />
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor="bodyMarkdown" className="block text-sm font-medium text-slate-800">
            {t("markdown")}
          </label>
          <textarea
            id="bodyMarkdown"
            name="bodyMarkdown"
            value={markdown}
            onChange={(event) => setMarkdown(event.target.value)}
            rows={28}
            spellCheck
            aria-invalid={fieldErrors?.bodyMarkdown ? true : undefined}
            aria-describedby={fieldErrors?.bodyMarkdown ? "bodyMarkdown-error" : undefined}
            className="block w-full rounded-md border border-slate-300 bg-white p-3 font-mono text-sm shadow-sm"
          />
          {fieldErrors?.bodyMarkdown ? (
            <p id="bodyMarkdown-error" role="alert" className="text-sm text-red-700">
              {fieldErrors.bodyMarkdown.join(" ")}
            </p>
          ) : null}
        </div>
        <section aria-labelledby="preview-heading" className="space-y-1">
          <h3 id="preview-heading" className="text-sm font-medium text-slate-800">
            {t("preview")}
          </h3>
          {previewError ? <Alert tone="error" title={previewError} /> : null}
          <div
            data-testid="draft-preview"
            aria-live="polite"
            className="agreement-body prose prose-slate h-[42rem] max-w-none overflow-y-auto rounded-md border border-slate-200 bg-white p-4"
            // Sanitised on the server by lib/agreements/markdown.ts (previewMarkdownAction).
            dangerouslySetInnerHTML={{ __html: previewHtml }}
          />
        </section>
      </div>
      <div className="flex items-center gap-4">
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("save")}
        </Button>
        <p role="status" className="text-sm text-slate-700">
          {state?.ok ? t("saved") : null}
        </p>
      </div>
      {state && !state.ok && !fieldErrors ? <Alert tone="error" role="alert" title={state.message} /> : null}
      {/* Each save answers with the content checks of the text saved (the review page shows them too). */}
      {state?.ok ? <ContentWarnings reviews={[state.data.review]} /> : null}
    </form>
  );
}
