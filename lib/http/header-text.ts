// Request header values as text. Node's HTTP parser hands header bytes over one
// byte per character (Latin-1), so a UTF-8 User-Agent such as "Größe" arrives
// as "GrÃ¶Ãe". Browsers and HTTP clients that send non-ASCII send UTF-8: read
// the bytes as UTF-8 when they are valid UTF-8, and as Latin-1 (HTTP's
// historical charset) when they are not.
const utf8 = new TextDecoder("utf-8", { fatal: true });

export function decodeHeaderText(value: string): string {
  // Pure ASCII reads the same either way.
  if (!/[^\x00-\x7f]/.test(value)) return value;
  // Characters above U+00FF did not come from the wire as bytes: already text.
  if (/[^\x00-\xff]/.test(value)) return value;
  try {
    return utf8.decode(Buffer.from(value, "latin1"));
  } catch {
    return value;
  }
}

/** Control characters (C0 and C1) have no place in evidence text. */
export function withoutControlCharacters(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
}

/** At most `max` characters, never splitting a character in two (an emoji is one). */
export function truncateCodePoints(value: string, max: number): string {
  if (value.length <= max) return value;
  return Array.from(value).slice(0, max).join("");
}
