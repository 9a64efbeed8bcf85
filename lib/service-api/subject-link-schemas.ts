// The admin's link form (app/admin/linked-accounts): one zod schema per input,
// shared by the form and the action.
import { z } from "zod";
import { fieldMessage } from "@/lib/validation/messages";

export const linkSubjectSchema = z.object({
  externalId: z
    .string({ error: fieldMessage("linkExternalId") })
    .trim()
    .regex(/^[A-Za-z0-9._~:@+=-]{1,128}$/, { error: fieldMessage("linkExternalId") }),
  account: z
    .string({ error: fieldMessage("linkAccount") })
    .trim()
    .min(1, { error: fieldMessage("linkAccount") })
    .max(320, { error: fieldMessage("linkAccount") }),
});
export type LinkSubjectInput = z.infer<typeof linkSubjectSchema>;

export const unlinkSubjectSchema = z.object({
  externalId: z.string().regex(/^[A-Za-z0-9._~:@+=-]{1,128}$/, { error: fieldMessage("linkExternalId") }),
});
