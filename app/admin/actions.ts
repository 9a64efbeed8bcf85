"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { ADMIN_ROLES } from "@/lib/auth/actor";
import { fail, ok } from "@/lib/result";
import { renderMarkdown } from "@/lib/agreements/render/pool";
import {
  addPurpose,
  createDraft,
  deleteDraft,
  retirePurpose,
  updateDraft,
  updatePurpose,
} from "@/lib/agreements/drafts";
import { publishVersion } from "@/lib/agreements/publish";
import { reviewDraftText } from "@/lib/agreements/content-review";
import {
  addPurposeSchema,
  draftEditSchema,
  previewSchema,
  publishSchema,
  retirePurposeSchema,
  updatePurposeSchema,
  versionIdSchema,
} from "@/lib/agreements/schemas";

const admin = { access: ADMIN_ROLES };

export const createDraftAction = defineAction({ ...admin, schema: z.object({}) }, async (_input, context) => {
  const result = await createDraft(context);
  if (!result.ok) return result;
  revalidatePath("/admin");
  redirect(`/admin/versions/${result.data.id}`);
});

/** Saves, then checks the saved text (in the render worker, after the commit) and returns what it found. */
export const saveDraftAction = defineAction({ ...admin, schema: draftEditSchema }, async (input, context) => {
  const result = await updateDraft(context, input);
  if (!result.ok) return result;
  revalidatePath(`/admin/versions/${input.versionId}`);
  return ok({ ...result.data, review: await reviewDraftText(input.versionId, input) });
});

export const deleteDraftAction = defineAction(
  { ...admin, schema: versionIdSchema },
  async (input, context) => {
    const result = await deleteDraft(context, input.versionId);
    if (!result.ok) return result;
    revalidatePath("/admin");
    redirect("/admin?deleted=1");
  },
);

/**
 * Live preview: the same sanitising renderer the public pages use, never the raw Markdown, in the
 * render worker within its limits (a pathological text gets its error, the server stays free).
 * Bidi control characters show as visible markers.
 */
export const previewMarkdownAction = defineAction({ ...admin, schema: previewSchema }, async (input) => {
  const rendered = await renderMarkdown(input.markdown, { markBidiControls: true });
  if (!rendered.ok)
    return fail(
      422,
      `render_${rendered.error.code}`,
      rendered.error.message,
      undefined,
      rendered.error.values,
    );
  return ok({ html: rendered.value.html });
});

export const addPurposeAction = defineAction(
  { ...admin, schema: addPurposeSchema },
  async (input, context) => {
    const result = await addPurpose(context, input);
    if (result.ok) revalidatePath(`/admin/versions/${input.versionId}`);
    return result;
  },
);

export const updatePurposeAction = defineAction(
  { ...admin, schema: updatePurposeSchema },
  async (input, context) => {
    const result = await updatePurpose(context, input);
    if (result.ok) revalidatePath(`/admin/versions/${input.versionId}`);
    return result;
  },
);

export const retirePurposeAction = defineAction(
  { ...admin, schema: retirePurposeSchema },
  async (input, context) => {
    const result = await retirePurpose(context, input);
    if (result.ok) revalidatePath(`/admin/versions/${input.versionId}`);
    return result;
  },
);

export const publishAction = defineAction({ ...admin, schema: publishSchema }, async (input, context) => {
  const result = await publishVersion(context, input);
  if (!result.ok) return result;
  revalidatePath("/", "layout");
  redirect(`/admin/versions/${result.data.id}?published=1`);
});
