// zod issues as field errors (framework-free: the server actions' and routes'
// wrappers and the custom server's fast paths share it).
import type { z } from "zod";
import { fail, type Failure, type FieldErrors } from "@/lib/result";
import { fieldErrorCodes } from "@/lib/validation/messages";

export function zodFieldErrors(error: z.ZodError): FieldErrors {
  // A Map, not `{}`: a field is named by the input, and a plain object already
  // has "valueOf", "constructor", "__proto__"... (a key named "valueOf" found
  // Object.prototype.valueOf and the action answered 500: bench/fuzz-actions.ts).
  const fields = new Map<string, string[]>();
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "_form";
    const messages = fields.get(field);
    if (messages) messages.push(issue.message);
    else fields.set(field, [issue.message]);
  }
  // Object.fromEntries defines own properties, "__proto__" included.
  return Object.fromEntries(fields);
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
