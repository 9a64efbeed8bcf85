// When token signing keys are made, used, published and dropped. Pure, so
// the rules are tested without a database (docs/tokens.md, "Keys").

const DAY = 24 * 3600 * 1000;

/** A key signs for this long before the next one takes over. */
export const ROTATE_AFTER_MS = 30 * DAY;
/** The next key is published this long before it signs, so verifiers' cached key sets already hold it. */
export const PREPUBLISH_MS = 7 * DAY;
/** The longest a consent token may live. */
export const MAX_TOKEN_TTL_SECONDS = 3600;
/** A replaced key stays published this long: past any token it signed, with a day to spare. */
export const RETAIN_AFTER_REPLACED_MS = MAX_TOKEN_TTL_SECONDS * 1000 + DAY;

export interface ScheduledKey {
  kid: string;
  activatesAt: Date;
  retiredAt: Date | null;
}

function live<K extends ScheduledKey>(keys: readonly K[]): K[] {
  return keys
    .filter((key) => key.retiredAt === null)
    .sort((a, b) => a.activatesAt.getTime() - b.activatesAt.getTime());
}

/** The key that signs at `at`: the most recently activated live key. */
export function signingKeyAt<K extends ScheduledKey>(keys: readonly K[], at: Date): K | null {
  return (
    live(keys)
      .filter((key) => key.activatesAt <= at)
      .at(-1) ?? null
  );
}

/**
 * Keys verifiers need at `at`: the signing key, any key waiting to activate,
 * and replaced keys until RETAIN_AFTER_REPLACED_MS after their successor took over.
 */
export function publishedKeysAt<K extends ScheduledKey>(keys: readonly K[], at: Date): K[] {
  const ordered = live(keys);
  return ordered.filter((key, index) => {
    const successor = ordered.slice(index + 1).find((next) => next.activatesAt <= at);
    return !successor || at.getTime() - successor.activatesAt.getTime() < RETAIN_AFTER_REPLACED_MS;
  });
}

/** What to create now, if anything: a key that signs at once, or the next key, published ahead. */
export function keyToCreate(keys: readonly ScheduledKey[], at: Date): { activatesAt: Date } | null {
  const current = signingKeyAt(keys, at);
  if (!current) return { activatesAt: at };
  const pending = live(keys).some((key) => key.activatesAt > at);
  const due = new Date(current.activatesAt.getTime() + ROTATE_AFTER_MS);
  if (pending || due.getTime() - at.getTime() > PREPUBLISH_MS) return null;
  return { activatesAt: due > at ? due : at };
}
