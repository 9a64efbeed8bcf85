import "server-only";
import { now } from "@/lib/clock";
import { failureBody, invalidInput } from "@/lib/validation/field-errors";
import { fail, type Failure } from "@/lib/result";
import {
  decideKey,
  lookupApiKey,
  readApiKey,
  type ApiKeyCaller,
  type KeyCheck,
  type KeyRow,
} from "@/lib/api-keys/authenticate";
import type { ApiScopeName } from "@/lib/api-keys/scopes";
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
  const gate = new OperationGate(credential.sha256, operation.access.apiKey);

  // Only a body is read asynchronously: a GET's input is checked without an await.
  const input = operation.body ? await readInput(operation, call) : readParams(operation, call);
  if (!input.ok) {
    const checked = await gate.check();
    if (!checked.ok) return failureAnswer(checked, checked.headers);
    return failureAnswer(input, gate.quota());
  }
  const { params, body, idempotencyKey } = input.data;
  const outcome = await operation.run({ gate, params, body, idempotencyKey, at: now() });
  const headers = outcome.headers ? Object.assign(gate.quota(), outcome.headers) : gate.quota();
  if (!outcome.ok) return failureAnswer(outcome, headers);
  return { status: outcome.status ?? operation.success.status, headers, body: outcome.data };
}

/**
 * The key gate of one request: a class, not closures made per request (the
 * hot path's every allocation counts), remembering the caller it accepted.
 */
class OperationGate implements KeyGate {
  private caller: ApiKeyCaller | undefined;

  constructor(
    readonly sha256: string,
    private readonly scope: ApiScopeName,
  ) {}

  async decide(row: KeyRow | undefined): Promise<KeyCheck> {
    const checked = await decideKey(row, this.scope);
    if (checked.ok) this.caller = checked.caller;
    return checked;
  }

  async check(): Promise<KeyCheck> {
    return this.decide(await lookupApiKey(this.sha256));
  }

  /** The accepted key's RateLimit headers (none before a key is accepted). */
  quota(): Record<string, string> {
    return this.caller ? quotaHeaders(this.caller.quota) : {};
  }
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
    const unsupported = bodyContentTypeRefusal({ get: (name) => call.header(name) });
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
