// What "the exact text shown" means for hashing (docs/ledger.md): the agreement
// body as stored, and each purpose's notice as canonical JSON.
import canonicalize from "canonicalize";
import { sha256Hex } from "@/lib/ledger/event-hash";

export interface PurposeNotice {
  key: string;
  name: string;
  description: string;
  basic: boolean;
}

export function agreementBodySha256(bodyMarkdown: string): string {
  return sha256Hex(bodyMarkdown);
}

export function purposeNoticeSha256({ key, name, description, basic }: PurposeNotice): string {
  return sha256Hex(canonicalize({ key, name, description, basic }) ?? "");
}
