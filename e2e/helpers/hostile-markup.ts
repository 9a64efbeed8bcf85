import type { Page } from "@playwright/test";

export const HOSTILE_LINK_TEXT = "a harmless-looking link";

/** Markdown lines that would run script if the app rendered them unsanitised. */
export const HOSTILE_LINES = [
  "<script>window.__pwned = 'script'</script>",
  `<img src="x" onerror="window.__pwned = 'onerror'">`,
  `[${HOSTILE_LINK_TEXT}](javascript:window.__pwned='link')`,
  `<iframe src="https://evil.example/"></iframe>`,
];

/** Any of these in rendered HTML means some of the hostile markup survived. */
export const LIVE_MARKUP = /<script|<iframe|<img|onerror|javascript:/i;

/** What the hostile markup sets if any of it ran; undefined when none did. */
export const pwned = (page: Page) => page.evaluate(() => (window as { __pwned?: unknown }).__pwned);
