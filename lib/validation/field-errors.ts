// zod issues as field errors (framework-free: the server actions' and routes'
// wrappers and the custom server's fast paths share it).
import type { z } from "zod";
import { fail, type Failure, type FieldErrors } from "@/lib/result";
import { fieldErrorCodes } from "@/lib/validation/messages";

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

/**
 * The JSON body of a failure, as every API answers it: the stable code, the
 * English message, and per field the messages and their stable codes.
 */
export function failureBody({ code, message, fieldErrors }: Failure) {
  return {
    error: {
      code,
      message,
      ...(fieldErrors ? { fieldErrors, fieldErrorCodes: fieldErrorCodes(fieldErrors) } : {}),
    },
  };
}
