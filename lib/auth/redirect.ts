// Where to send someone after sign-in (or sign-out): only a path on Accord's
// own origin. The value is resolved against APP_URL the way a browser would
// resolve it, so "/\evil.example", "//evil.example", "/.//evil.example",
// "https://evil.example" and values with control characters (CR/LF) all fall
// back to the default instead of leaving the site.

/** Characters that never belong in a return address: controls (CR, LF, NUL, …) and backslash. */
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

/**
 * A same-origin path (with its query and fragment) for `value`, or `fallback`.
 * Absolute URLs on APP_URL's origin are accepted and made relative.
 */
export function safeReturnPath(value: unknown, appUrl: string, fallback: string): string {
  if (typeof value !== "string" || value === "" || value.length > 2048 || UNSAFE.test(value)) return fallback;
  const base = new URL(appUrl);
  let resolved: URL;
  try {
    resolved = new URL(value, base);
  } catch {
    return fallback;
  }
  if (resolved.origin !== base.origin) return fallback;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // "//host" or "/\host" would be read by a browser as another host.
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  return path;
}
