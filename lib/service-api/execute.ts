import "server-only";
import { now } from "@/lib/clock";
import { failureBody, invalidInput } from "@/lib/validation/field-errors";
import { fail, type Failure } from "@/lib/result";
import {
  decideKey,
  lookupApiKey,
  readApiKey,
  type ApiKeyCaller,
  type KeyRow,
} from "@/lib/api-keys/authenticate";
import { quotaHeaders } from "@/lib/api-keys/rate-limit";
import { idempotencyKeySchema } from "@/lib/service-api/schemas";
import { bodyContentTypeRefusal } from "@/lib/http/request-guards";
import type { KeyGate, ServiceOperation } from "@/lib/service-api/operation";

/** A request as the operations see it, whichever server received it. */
export interface ServiceCall {
  params: Record<string, string>;
  header(name: string): string | null;
  /** The body's text (the server has already refused bodies over its own limit). */
  readBody(): Promise<string>;
}

export interface ServiceAnswer {
  status: number;
  headers: Record<string, string>;
  /** JSON body. */
  body: unknown;
}

const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

function failureAnswer(failure: Failure, headers: Record<string, string> = {}): ServiceAnswer {
  return { status: failure.status, headers, body: failureBody(failure) };
}

/**
 * Runs one operation: the key is checked before anything else is answered
 * (401/403/429 come before 400), input is validated with the operation's zod
 * schemas, and every keyed answer carries the key's RateLimit headers.
 */
export async function executeOperation(
  operation: ServiceOperation,
  call: ServiceCall,
): Promise<ServiceAnswer> {
  const credential = readApiKey(call.header("authorization"));
  if ("ok" in credential) return failureAnswer(credential, credential.headers);
  let caller: ApiKeyCaller | undefined;
  const decide = async (row: KeyRow | undefined) => {
    const checked = await decideKey(row, operation.access.apiKey);
    if (checked.ok) caller = checked.caller;
    return checked;
  };
  const gate: KeyGate = {
    sha256: credential.sha256,
    decide,
    check: async () => decide(await lookupApiKey(credential.sha256)),
  };
  const quota = () => (caller ? quotaHeaders(caller.quota) : {});

  // Only a body is read asynchronously: a GET's input is checked without an await.
  const input = operation.body ? await readInput(operation, call) : readParams(operation, call);
  if (!input.ok) {
    const checked = await gate.check();
    if (!checked.ok) return failureAnswer(checked, checked.headers);
    return failureAnswer(input, quota());
  }
  const outcome = await operation.run({ gate, ...input.data, at: now() });
  if (!outcome.ok) return failureAnswer(outcome, { ...quota(), ...outcome.headers });
  return {
    status: outcome.status ?? operation.success.status,
    headers: { ...quota(), ...outcome.headers },
    body: outcome.data,
  };
}

type Parsed =
  { ok: true; data: { params: unknown; body: unknown; idempotencyKey: string } } | (Failure & { ok: false });

/** The path parameters and the Idempotency-Key, checked (the whole input of an operation without a body). */
function readParams(operation: ServiceOperation, call: ServiceCall): Parsed {
  const params = operation.params.safeParse(call.params);
  if (!params.success) return invalidInput(params.error);
  let idempotencyKey = "";
  if (operation.idempotencyKey) {
    const header = idempotencyKeySchema.safeParse(call.header("idempotency-key") ?? undefined);
    if (!header.success)
      return fail(
        400,
        "idempotency_key_required",
        header.error.issues[0]?.message ?? "Send an Idempotency-Key.",
        {
          "Idempotency-Key": header.error.issues.map((issue) => issue.message),
        },
      );
    idempotencyKey = header.data;
  }
  return { ok: true, data: { params: params.data, body: undefined, idempotencyKey } };
}

async function readInput(operation: ServiceOperation, call: ServiceCall): Promise<Parsed> {
  const head = readParams(operation, call);
  if (!head.ok) return head;
  let body: unknown = undefined;
  if (operation.body) {
    // As withRoute's keyed routes (lib/http/request-guards.ts): a body is
    // JSON, said so in Content-Type, or it is refused unread, whatever its text.
    const unsupported = bodyContentTypeRefusal({ get: call.header });
    if (unsupported) return unsupported;
    const limit = operation.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const length = Number(call.header("content-length") ?? "0");
    if (length > limit)
      return fail(
        413,
        "payload_too_large",
        `The request body is larger than ${Math.floor(limit / 1024)} KiB.`,
      );
    const text = await call.readBody();
    let raw: unknown;
    try {
      // An empty body is an empty object: optional-only bodies may be left out.
      raw = text.trim() === "" ? {} : JSON.parse(text);
    } catch {
      return fail(400, "invalid_json", "The request body must be JSON.");
    }
    const parsed = operation.body.safeParse(raw);
    if (!parsed.success) return invalidInput(parsed.error);
    body = parsed.data;
  }
  return { ok: true, data: { ...head.data, body } };
}
