// Expected failures are values, not exceptions: services return these and the
// action/route wrappers turn them into field errors or 4xx JSON bodies.
export type FieldErrors = Record<string, string[]>;
/** Values of a failure's message, for its translation by code (lib/i18n/server-errors.ts). */
export type MessageValues = Record<string, string | number>;

export type Result<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      status: number;
      code: string;
      message: string;
      fieldErrors?: FieldErrors;
      values?: MessageValues;
    };

export type Failure = Extract<Result<never>, { ok: false }>;

export function ok<T>(data: T): Result<T> {
  return { ok: true, data };
}

export function fail(
  status: number,
  code: string,
  message: string,
  fieldErrors?: FieldErrors,
  values?: MessageValues,
): Failure {
  return {
    ok: false,
    status,
    code,
    message,
    ...(fieldErrors ? { fieldErrors } : {}),
    ...(values ? { values } : {}),
  };
}
