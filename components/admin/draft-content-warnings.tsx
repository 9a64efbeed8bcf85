import { reviewVersionContent } from "@/lib/agreements/content-review";
import { ContentWarnings } from "@/components/admin/content-warnings";

/**
 * The content checks of a draft's text and translations, for the review page:
 * they parse the texts in the render worker, so the page streams them in
 * (inside a Suspense boundary) instead of waiting for them.
 */
export async function DraftContentWarnings({ versionId }: { versionId: string }) {
  return <ContentWarnings reviews={await reviewVersionContent(versionId)} />;
}
