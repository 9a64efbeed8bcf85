import { z } from "zod";

// Shared by the forms and the server: one schema per input.
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }));

export const passwordSchema = z
  .string()
  .min(12, { error: "Use at least 12 characters." })
  .max(256, { error: "Use at most 256 characters." })
  .refine((p) => new Set(p).size >= 5, { error: "Use a less repetitive password." });

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
