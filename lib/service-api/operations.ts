import "server-only";
import { issueConsentToken } from "@/lib/tokens/consent-token";
import { DEFAULT_TOKEN_TTL_SECONDS } from "@/lib/tokens/claims";
import { defineOperation, type ServiceOperation } from "@/lib/service-api/operation";
import { recordDecision } from "@/lib/service-api/record-decision";
import {
  batchStatusBodySchema,
  batchStatusSchema,
  issuedTokenSchema,
  MAX_BATCH_SUBJECTS,
  recordDecisionBodySchema,
  recordedDecisionSchema,
  subjectParamsSchema,
  subjectStatusSchema,
  tokenRequestBodySchema,
} from "@/lib/service-api/schemas";
import { keyedBatchStatus, keyedExternalStatus } from "@/lib/service-api/status";
import { z } from "zod";

const noParams = z.object({});

export const getSubjectStatus = defineOperation({
  operationId: "getSubjectStatus",
  method: "GET",
  path: "/api/v1/subjects/{subjectId}/status",
  access: { apiKey: "status:read" },
  summary: "One subject's consent status",
  description:
    "Each purpose's effective consent, the accepted agreement version and whether re-consent is needed. " +
    "A subject you never recorded anything for answers `known: false` (nothing is created).",
  params: subjectParamsSchema,
  success: { status: 200, description: "The subject's status.", schema: subjectStatusSchema },
  errors: { 400: "The subject id is not valid." },
  async run({ gate, params, at }) {
    const keyed = await keyedExternalStatus(gate.sha256, params.subjectId, at);
    const checked = await gate.decide(keyed.key);
    if (!checked.ok) return checked;
    return { ok: true, data: keyed.answer() };
  },
});

export const batchSubjectStatus = defineOperation({
  operationId: "batchSubjectStatus",
  method: "POST",
  path: "/api/v1/subjects/status",
  access: { apiKey: "status:read" },
  summary: `Many subjects' consent status (up to ${MAX_BATCH_SUBJECTS})`,
  description: "The status of every subject asked, in the order asked, read in one statement.",
  params: noParams,
  body: batchStatusBodySchema,
  maxBodyBytes: 256 * 1024,
  success: { status: 200, description: "One status per subject id.", schema: batchStatusSchema },
  errors: { 400: "Not JSON, or more than 1,000 ids, or an id that is not valid.", 413: "Body over 256 KiB." },
  async run({ gate, body, at }) {
    const keyed = await keyedBatchStatus(gate.sha256, body.subjectIds, at);
    const checked = await gate.decide(keyed.key);
    if (!checked.ok) return checked;
    return { ok: true, data: { statuses: keyed.answer() } };
  },
});

export const recordConsentDecision = defineOperation({
  operationId: "recordConsentDecision",
  method: "POST",
  path: "/api/v1/subjects/{subjectId}/consent",
  access: { apiKey: "consent:write" },
  summary: "Record a consent decision made in your product",
  description:
    "Records the user's decision (method `APP`) with the evidence you supply: accepting an agreement version " +
    "(this creates the subject on first use), or granting or withdrawing a purpose of the accepted version. " +
    "`Idempotency-Key` is required: a retry with the same key records nothing new and answers 200 with the first event.",
  params: subjectParamsSchema,
  body: recordDecisionBodySchema,
  maxBodyBytes: 8 * 1024,
  idempotencyKey: true,
  success: {
    status: 201,
    description: "Recorded (200 with `replayed: true` on a retry).",
    schema: recordedDecisionSchema,
  },
  errors: {
    400: "Invalid body or missing Idempotency-Key.",
    404: "Unknown agreement version or purpose.",
    409: "Agreement not accepted yet, stale version or notice, text mismatch, Idempotency-Key reused for another decision, or the linked account was closed.",
    422: "A basic purpose cannot be granted or withdrawn separately.",
  },
  async run({ gate, params, body, idempotencyKey, at }) {
    return recordDecision({ gate, externalId: params.subjectId, decision: body, idempotencyKey, at });
  },
});

export const issueSubjectToken = defineOperation({
  operationId: "issueConsentToken",
  method: "POST",
  path: "/api/v1/subjects/{subjectId}/token",
  access: { apiKey: "status:read" },
  summary: "A signed consent token for one subject",
  description:
    "A JWS (EdDSA, `typ: consent+jwt`) stating the subject's consent now, to verify offline against " +
    "/.well-known/jwks.json until it expires (docs/tokens.md). A withdrawal takes effect for its holders when it expires.",
  params: subjectParamsSchema,
  body: tokenRequestBodySchema,
  maxBodyBytes: 4 * 1024,
  success: { status: 200, description: "The token.", schema: issuedTokenSchema },
  errors: { 400: "Invalid body or subject id." },
  async run({ gate, params, body, at }) {
    // The key check and the status in one statement, as the status read.
    const keyed = await keyedExternalStatus(gate.sha256, params.subjectId, at);
    const checked = await gate.decide(keyed.key);
    if (!checked.ok) return checked;
    const status = keyed.answer();
    const issued = await issueConsentToken(status, {
      ttlSeconds: body.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
      audience: body.audience,
      at,
    });
    return { ok: true, data: { ...issued, status } };
  },
});

/** Every service operation, in the order the reference lists them. */
export const SERVICE_OPERATIONS: readonly ServiceOperation[] = [
  getSubjectStatus,
  batchSubjectStatus,
  recordConsentDecision,
  issueSubjectToken,
];
