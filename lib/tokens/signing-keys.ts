import "server-only";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, type JWK } from "jose";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { recordAudit, type AuditEntry } from "@/lib/audit-log/record-audit";
import { appSealer } from "@/lib/secrets/app-sealer";
import { SealError } from "@/lib/secrets/seal";
import { ok, type Result } from "@/lib/result";
import { keyToCreate, publishedKeysAt, signingKeyAt } from "@/lib/tokens/key-schedule";

/** Consent tokens are signed with Ed25519 (JWS "EdDSA", RFC 8037). */
export const TOKEN_ALG = "EdDSA";

interface KeyRecord {
  kid: string;
  publicJwk: JWK;
  privateKeySealed: string;
  createdAt: Date;
  activatesAt: Date;
  retiredAt: Date | null;
}

// Keys change monthly; reading them once a minute per process is plenty.
// Creating or retiring a key here forgets the cache at once.
const CACHE_MS = 60_000;
const globalForKeys = globalThis as unknown as {
  accordTokenKeys?: { records: KeyRecord[]; loadedAt: number };
  accordTokenPrivateKeys?: Map<string, KeyObject>;
};
const privateKeys = (globalForKeys.accordTokenPrivateKeys ??= new Map());

async function loadKeys(force = false): Promise<KeyRecord[]> {
  const cached = globalForKeys.accordTokenKeys;
  if (!force && cached && Date.now() - cached.loadedAt < CACHE_MS) return cached.records;
  const rows = await prisma.tokenSigningKey.findMany({ orderBy: { activatesAt: "asc" } });
  const records = rows.map((row) => ({ ...row, publicJwk: row.publicJwk as JWK }));
  globalForKeys.accordTokenKeys = { records, loadedAt: Date.now() };
  return records;
}

function forgetCache() {
  delete globalForKeys.accordTokenKeys;
}

const context = (kid: string) => `token-signing-key:${kid}`;

type Tx = Parameters<Parameters<typeof prisma.$transaction>[0]>[0];

/** Every change to the keys holds this transaction-scoped lock: one process, one request at a time. */
const lockKeys = (tx: Tx) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('accord:token-signing-keys'))`;

/** Makes a key pair and stores it, inside the caller's locked transaction. */
async function insertKey(tx: Tx, activatesAt: Date, at: Date): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALG, { crv: "Ed25519", extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  await tx.tokenSigningKey.create({
    data: {
      kid,
      alg: TOKEN_ALG,
      publicJwk: { ...publicJwk, kid, alg: TOKEN_ALG, use: "sig" } as object,
      privateKeySealed: appSealer().seal(await exportPKCS8(privateKey), context(kid)),
      createdAt: at,
      activatesAt,
    },
  });
  return kid;
}

/** Makes a key pair and stores it; one process at a time (a transaction-scoped advisory lock). */
async function createKey(activatesAt: Date, at: Date, force = false): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await lockKeys(tx);
    if (!force) {
      const rows = await tx.tokenSigningKey.findMany({
        select: { kid: true, activatesAt: true, retiredAt: true },
      });
      if (!keyToCreate(rows, at)) return; // another process made it while we waited
    }
    await insertKey(tx, activatesAt, at);
  });
  forgetCache();
}

function openPrivateKey(record: KeyRecord): KeyObject {
  const known = privateKeys.get(record.kid);
  if (known) return known;
  const pem = appSealer().open(record.privateKeySealed, context(record.kid)).toString("utf8");
  const key = createPrivateKey(pem);
  privateKeys.set(record.kid, key);
  return key;
}

/**
 * The key to sign with now. Makes the first key, and the next one a week
 * before it is due, as a side effect: no background job is needed.
 */
export async function currentSigningKey(at: Date = now()): Promise<{ kid: string; key: KeyObject }> {
  let records = await loadKeys();
  const due = keyToCreate(records, at);
  if (due) {
    await createKey(due.activatesAt, at);
    records = await loadKeys(true);
  }
  const signing = signingKeyAt(records, at);
  if (!signing) throw new Error("token signing: no key after creating one");
  try {
    return { kid: signing.kid, key: openPrivateKey(signing) };
  } catch (error) {
    if (!(error instanceof SealError)) throw error;
    // Sealed under another SEALING_KEY (the secret changed): sign with a new key from now on.
    console.error(`[tokens] key ${signing.kid} cannot be unsealed (${error.message}); making a new key`);
    await createKey(at, at, true);
    const fresh = signingKeyAt(await loadKeys(true), at);
    if (!fresh) throw error;
    return { kid: fresh.kid, key: openPrivateKey(fresh) };
  }
}

/** The JSON Web Key Set verifiers fetch from /.well-known/jwks.json. */
export async function publishedJwks(at: Date = now()): Promise<{ keys: JWK[] }> {
  let records = await loadKeys();
  if (keyToCreate(records, at)) {
    await currentSigningKey(at);
    records = await loadKeys();
  }
  return { keys: publishedKeysAt(records, at).map((record) => record.publicJwk) };
}

export interface SigningKeySummary {
  kid: string;
  createdAt: Date;
  activatesAt: Date;
  retiredAt: Date | null;
  state: "signing" | "next" | "published" | "unpublished";
}

/** Every key with what it does now, newest first (the admin page). */
export async function listSigningKeys(at: Date = now()): Promise<SigningKeySummary[]> {
  const records = await loadKeys(true);
  const signing = signingKeyAt(records, at)?.kid;
  const published = new Set(publishedKeysAt(records, at).map((record) => record.kid));
  return records
    .map(({ kid, createdAt, activatesAt, retiredAt }) => ({
      kid,
      createdAt,
      activatesAt,
      retiredAt,
      state:
        kid === signing
          ? ("signing" as const)
          : retiredAt === null && activatesAt > at
            ? ("next" as const)
            : published.has(kid)
              ? ("published" as const)
              : ("unpublished" as const),
    }))
    .reverse();
}

/**
 * Retires the signing key at once (a suspected leak) and signs with a new one:
 * the old key leaves the key set, so tokens it signed stop verifying once
 * verifiers refresh their copy.
 */
export async function rotateSigningKeyNow(
  manager: Pick<AuditEntry, "actor" | "meta">,
): Promise<Result<{ retired: string | null; kid: string }>> {
  // Retiring the signing key and making its successor is one step under the
  // keys' lock: two rotations at once (two admins, a double click) each
  // replace the key they find, one after the other. Apart, the second could
  // retire the first one's new key before it signed anything, and leave no
  // signing key at all (bench/fuzz-actions.ts: 500 "no key after creating one").
  const rotated = await prisma.$transaction(async (tx) => {
    await lockKeys(tx);
    const at = now(); // after the lock: a rotation that waited is later than the one it waited for
    const rows = await tx.tokenSigningKey.findMany({
      select: { kid: true, activatesAt: true, retiredAt: true },
      orderBy: { activatesAt: "asc" },
    });
    const current = signingKeyAt(rows, at);
    if (current)
      await tx.tokenSigningKey.updateMany({
        where: { kid: current.kid, retiredAt: null },
        data: { retiredAt: at },
      });
    return { retired: current?.kid ?? null, kid: await insertKey(tx, at, at) };
  });
  if (rotated.retired) privateKeys.delete(rotated.retired);
  forgetCache();
  await recordAudit({
    ...manager,
    action: "token_key.rotated",
    targetType: "token_signing_key",
    targetId: rotated.kid,
    details: { retired: rotated.retired, signing: rotated.kid },
  });
  return ok(rotated);
}
