import { z } from "zod";
import { emailSchema, passwordSchema } from "@/lib/auth/schemas";
import { fieldMessage } from "@/lib/validation/messages";

// Shared by the forms and the server actions (lib/accounts/*).

/** The secret of an emailed link, as the page hands it on. */
export const tokenSchema = z.string().trim().min(1).max(200);

export const forgotPasswordSchema = z.object({ email: emailSchema });

export const resetPasswordSchema = z.object({ token: tokenSchema, password: passwordSchema });

export const confirmTokenSchema = z.object({ token: tokenSchema });

export const changePasswordSchema = z.object({
  currentPassword: z
    .string()
    .min(1, { error: fieldMessage("currentPasswordRequired") })
    .max(256),
  password: passwordSchema,
});

export const changeEmailSchema = z.object({
  email: emailSchema,
  currentPassword: z
    .string()
    .min(1, { error: fieldMessage("currentPasswordRequired") })
    .max(256),
});
