import { z } from "zod";

const size = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/, "a tree size: a whole number")
  .transform(Number);

export const consistencyQuerySchema = z.strictObject({ from: size, to: size });

export const inclusionQuerySchema = z.strictObject({
  event: z.uuid("an event id"),
  size: size.optional(),
});

export const cosignatureBodySchema = z.strictObject({
  /** The checkpoint as the log signed it, with the witness's signature line added. */
  cosigned: z
    .string()
    .min(1)
    .max(64 * 1024),
});
