import { z } from "zod";
import { fieldMessage } from "@/lib/validation/messages";

// Shared by the forms and the server: one schema per input.
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: fieldMessage("emailInvalid") }));

export const passwordSchema = z
  .string()
  .min(12, { error: fieldMessage("passwordTooShort") })
  .max(256, { error: fieldMessage("passwordTooLong") })
  .refine((p) => new Set(p).size >= 5, { error: fieldMessage("passwordRepetitive") });

export const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(256),
});

export const roleSchema = z.enum(["USER", "ADMIN", "AUDITOR"]);
