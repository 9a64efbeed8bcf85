// Fixed vectors computed independently of this code (Python: json.dumps with
// sort_keys, compact separators and ensure_ascii=False, then hashlib.sha256;
// RFC 6962 tree hash written from the RFC). If these fail, the ledger format
// changed: every stored hash would stop verifying.
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalEvent, eventHash, type HashedEventFields } from "@/lib/ledger/event-hash";
import { merkleRoot } from "@/lib/ledger/merkle";

const first: HashedEventFields = {
  id: "6f1c9a52-3b0e-4c1d-9a8e-2f4b5c6d7e80",
  subjectId: "0b7e2f4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
  seq: 1,
  action: "AGREEMENT_ACCEPTED",
  versionId: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
  versionNumber: 1,
  purposeKey: null,
  noticeSha256: "a".repeat(64),
  method: "WEB",
  recordedAt: "2026-11-29T10:00:00.000Z",
  ipTruncated: "203.0.113.0",
  userAgent: "Mozilla/5.0",
  locale: "en-GB",
  idempotencyKey: "agreement:9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
  prevHash: "0".repeat(64),
};
const FIRST_CANONICAL =
  '{"action":"AGREEMENT_ACCEPTED","id":"6f1c9a52-3b0e-4c1d-9a8e-2f4b5c6d7e80","idempotencyKey":"agreement:9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a","ipTruncated":"203.0.113.0","locale":"en-GB","method":"WEB","noticeSha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","prevHash":"0000000000000000000000000000000000000000000000000000000000000000","purposeKey":null,"recordedAt":"2026-11-29T10:00:00.000Z","seq":1,"subjectId":"0b7e2f4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b","userAgent":"Mozilla/5.0","v":1,"versionId":"9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a","versionNumber":1}';
const FIRST_HASH = "a30af97e83d728251bfdb462e10d59d02d948efed8e3e24ae6ad057c9ab04c83";

// Quotes, backslashes, control characters, non-ASCII, an astral character,
// U+2028 and DEL: everything RFC 8785 treats specially or deliberately not.
const second: HashedEventFields = {
  ...first,
  seq: 2,
  action: "PURPOSE_GRANTED",
  purposeKey: "third-party-sharing",
  method: "API",
  ipTruncated: null,
  locale: null,
  userAgent: 'curl "quoted" \\ back\tslash\n\u0001 é中文 😀 \u2028 \x7f',
  idempotencyKey: "api:key-é",
  prevHash: FIRST_HASH,
};
const SECOND_CANONICAL =
  '{"action":"PURPOSE_GRANTED","id":"6f1c9a52-3b0e-4c1d-9a8e-2f4b5c6d7e80","idempotencyKey":"api:key-é","ipTruncated":null,"locale":null,"method":"API","noticeSha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","prevHash":"a30af97e83d728251bfdb462e10d59d02d948efed8e3e24ae6ad057c9ab04c83","purposeKey":"third-party-sharing","recordedAt":"2026-11-29T10:00:00.000Z","seq":2,"subjectId":"0b7e2f4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b","userAgent":"curl \\"quoted\\" \\\\ back\\tslash\\n\\u0001 é中文 😀 \u2028 \x7f","v":1,"versionId":"9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a","versionNumber":1}';
const SECOND_HASH = "86aca31849f3e904283335ffdae22d8f782d3c3de0d3bf47173e27949d624f8b";

describe("ledger event canonicalisation and hash", () => {
  it("genesis is 64 zeros", () => {
    expect(GENESIS_HASH).toBe("0".repeat(64));
  });

  it("matches the independently computed vectors", () => {
    expect(canonicalEvent(first)).toBe(FIRST_CANONICAL);
    expect(eventHash(first)).toBe(FIRST_HASH);
    expect(canonicalEvent(second)).toBe(SECOND_CANONICAL);
    expect(eventHash(second)).toBe(SECOND_HASH);
  });

  it("changes when any covered field changes", () => {
    expect(eventHash({ ...first, method: "API" })).not.toBe(FIRST_HASH);
    expect(eventHash({ ...first, recordedAt: "2026-11-29T10:00:00.001Z" })).not.toBe(FIRST_HASH);
    expect(eventHash({ ...first, prevHash: "1".repeat(64) })).not.toBe(FIRST_HASH);
  });
});

describe("Merkle root (RFC 6962 §2.1)", () => {
  // Leaves: SHA-256 of "0".."4".
  const leaves = [
    "5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9",
    "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b",
    "d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35",
    "4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce",
    "4b227777d4dd1fc61c6f884f48641d02b4d121d3fd328cb08b5531fcacdabf8a",
  ];

  it("matches the independently computed roots", () => {
    expect(merkleRoot(leaves)).toBe("4e23fb40d8876f1299cca9b3c28432a01b11d1a20126606914612892ff2e09a7");
    expect(merkleRoot(leaves.slice(0, 1))).toBe(
      "13a77175e35eb1d9da91ee14df0d7772cea71289800206e2b45c882ecb06efbf",
    );
    expect(merkleRoot([])).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});
