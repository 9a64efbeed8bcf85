// zod issues as field errors (framework-free: the server actions' and routes'
// wrappers and the custom server's fast paths share it).
import type { z } from "zod";
import { fail, type Failure, type FieldErrors } from "@/lib/result";

export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "_form";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  return fieldErrors;
}

export function invalidInput(error: z.ZodError): Failure {
  return fail(400, "invalid_input", "Some fields need attention.", zodFieldErrors(error));
}
