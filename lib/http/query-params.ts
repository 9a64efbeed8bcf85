// Strict pieces for query-string and form schemas: values arrive as text, and
// only plain decimal digits become numbers ("1e3", "0x10", " 1", "[1]" and
// "true" are refused rather than coerced).
import { z } from "zod";

/** A whole number written in decimal digits, then checked by `then` (e.g. z.int().positive()). */
export function digitsInt(message: string, then: z.ZodType<number, number> = z.int()) {
  return z
    .string({ error: message })
    .regex(/^\d{1,15}$/, { error: message })
    .transform(Number)
    .pipe(then);
}
