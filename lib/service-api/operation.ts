// The service API's endpoints, each declared once as an operation: its
// method and path, the scope its key needs, the zod schemas of its input and
// answer, and its body. The same declaration is served by the custom
// server's fast path (lib/server/fast-paths/service-api.ts), by the Next.js
// route files under app/api/v1/subjects (for `next dev` without the custom
// server), and documented by the OpenAPI generator (openapi.ts).
//
// Why not withRoute: its key check is a query of its own, and the hot reads
// fold the check into the statement that reads the data (one round trip).
// So the operation receives a KeyGate and decides the key row itself; the
// access declaration (`ApiKeyAccess`) is the same type withRoute takes.
import type { z } from "zod";
import type { ApiKeyAccess } from "@/lib/http/route";
import type { Failure } from "@/lib/result";
import type { KeyCheck, KeyRow } from "@/lib/api-keys/authenticate";

/** Decides a looked-up key row for the operation's scope (counting it against the key's limit). */
export interface KeyGate {
  /** SHA-256 of the presented key, for statements that look the key up themselves. */
  sha256: string;
  decide(row: KeyRow | undefined): Promise<KeyCheck>;
  /** Looks the key up in a statement of its own, then decides it. */
  check(): Promise<KeyCheck>;
}

export type OperationFailure = Failure & { headers?: Record<string, string> };

export type Outcome<T> =
  OperationFailure | { ok: true; data: T; status?: number; headers?: Record<string, string> };

export interface OperationInput<P, B> {
  gate: KeyGate;
  params: P;
  body: B;
  /** The Idempotency-Key header, for operations that require one. */
  idempotencyKey: string;
  at: Date;
}

export interface ServiceOperation<
  PS extends z.ZodType = z.ZodType,
  BS extends z.ZodType = z.ZodType,
  RS extends z.ZodType = z.ZodType,
> {
  operationId: string;
  method: "GET" | "POST";
  /** OpenAPI path template, e.g. /api/v1/subjects/{subjectId}/status. */
  path: string;
  access: ApiKeyAccess;
  summary: string;
  description: string;
  params: PS;
  body?: BS;
  /** Largest accepted body (bytes). */
  maxBodyBytes?: number;
  idempotencyKey?: boolean;
  success: { status: 200 | 201; description: string; schema: RS };
  /** The refusals this operation can answer, besides the key's (401/403/429). */
  errors: Partial<Record<400 | 404 | 409 | 413 | 422, string>>;
  run(input: OperationInput<z.infer<PS>, z.infer<BS>>): Promise<Outcome<z.input<RS>>>;
}

/** Declares an operation, keeping its schema types for its body. */
export function defineOperation<PS extends z.ZodType, BS extends z.ZodType, RS extends z.ZodType>(
  operation: ServiceOperation<PS, BS, RS>,
): ServiceOperation {
  return operation as unknown as ServiceOperation;
}
