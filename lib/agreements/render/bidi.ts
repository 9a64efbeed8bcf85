// Unicode bidirectional control characters can make text display in an order
// other than the one stored (CVE-2021-42574, "Trojan Source"): a clause can
// read one way on screen and another way in the stored, hashed text. The
// editor flags them and the import warns; publishing asks for confirmation.
// Pure: shared by the editor, the import CLI and the renderer.

const NAMES: Record<number, string> = {
  0x061c: "ARABIC LETTER MARK",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
};

/** Matches one bidi control character (global: use with matchAll/replace). */
export const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export interface BidiControl {
  /** 1-based line and column (in UTF-16 code units) of the character. */
  line: number;
  column: number;
  /** e.g. "U+202E". */
  codePoint: string;
  name: string;
}

/** Every bidi control character in the text, in order. */
export function findBidiControls(text: string): BidiControl[] {
  const found: BidiControl[] = [];
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    for (const match of line.matchAll(BIDI_CONTROL)) {
      const code = match[0].codePointAt(0) ?? 0;
      found.push({
        line: index + 1,
        column: (match.index ?? 0) + 1,
        codePoint: codePointLabel(code),
        name: NAMES[code] ?? "",
      });
    }
  });
  return found;
}

export function codePointLabel(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}
