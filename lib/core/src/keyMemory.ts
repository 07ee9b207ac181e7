/**
 * An entity's memory of idempotency keys, bounded in time and in bytes.
 *
 * - Keys used within the retention (default 24 h) are kept exactly, hash → position and time, up
 *   to `maxKeys` of them (default 1,000: about 40 KB on a snapshot).
 * - A key pushed out by the cap while still within the retention goes into a Bloom filter of the
 *   time bucket it was used in (a quarter of the retention each, 1 KiB per bucket) with the range
 *   of positions it came from. A new key that no filter knows is certainly new: no read. A key a
 *   filter may know is looked up in that range of the stream (one Query).
 * - Keys and buckets older than the retention are forgotten.
 */
import { bloomAdd, bloomFromText, bloomMayHave, bloomToText, emptyBloom } from './bloom.ts';
import type { RecentKey, StoredSpill } from './ports.ts';

export interface KeyEntry {
  /** Position of the commit that holds the key's outcome. */
  readonly position: number;
  /** When the key was first used, in epoch seconds. */
  readonly at: number;
}

export interface SpillBucket {
  /** Start of the bucket's time range, epoch seconds. */
  readonly start: number;
  /** The range of positions its keys came from. */
  readonly lo: number;
  readonly hi: number;
  readonly bits: Uint8Array;
}

/**
 * The idempotency keys an entity remembers: recent ones exactly, older ones in Bloom filters.
 * @internal
 */
export interface KeyMemory {
  /** In the order the keys were used (oldest first). */
  readonly keys: ReadonlyMap<string, KeyEntry>;
  readonly spill: readonly SpillBucket[];
}

/** How long and how many keys an entity remembers. */
export interface KeyPolicy {
  readonly retentionMs: number;
  readonly maxKeys: number;
}

export const defaultKeyPolicy: KeyPolicy = { retentionMs: 24 * 3600 * 1000, maxKeys: 1000 };

/**
 * The policy from options, refusing values that would make keys forgotten at once.
 * @internal
 */
export function keyPolicyOf(options: Partial<KeyPolicy> = {}): KeyPolicy {
  const policy = { ...defaultKeyPolicy, ...options };
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(
        `idempotency.${name} must be a whole number of at least 1 (got ${value})`,
      );
    }
  }
  return policy;
}

/**
 * A key memory with no key.
 * @internal
 */
export const emptyKeyMemory: KeyMemory = { keys: new Map(), spill: [] };

export const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/**
 * The key memory with one more key.
 * @internal
 */
export function withKey(memory: KeyMemory, hash: string, entry: KeyEntry): KeyMemory {
  const keys = new Map(memory.keys);
  keys.delete(hash);
  keys.set(hash, entry);
  return { keys, spill: memory.spill };
}

/**
 * Forgets what is older than the retention and spills what is over the cap.
 * @internal
 */
export function trimKeys(memory: KeyMemory, now: number, policy: KeyPolicy): KeyMemory {
  const retention = Math.ceil(policy.retentionMs / 1000);
  const bucketSeconds = Math.max(1, Math.ceil(retention / 4));
  const horizon = now - retention;
  let keys: Map<string, KeyEntry> | undefined;
  let spill = memory.spill.filter((b) => b.start + bucketSeconds > horizon);
  let size = memory.keys.size;
  for (const [hash, entry] of memory.keys) {
    const expired = entry.at < horizon;
    if (!expired && size <= policy.maxKeys) break;
    keys ??= new Map(memory.keys);
    keys.delete(hash);
    size--;
    if (!expired) spill = spillInto(spill, hash, entry, bucketSeconds);
  }
  if (!keys && spill.length === memory.spill.length) return memory;
  return { keys: keys ?? memory.keys, spill };
}

function spillInto(
  spill: readonly SpillBucket[],
  hash: string,
  entry: KeyEntry,
  bucketSeconds: number,
): SpillBucket[] {
  const start = entry.at - (entry.at % bucketSeconds);
  const bucket = spill.find((b) => b.start === start);
  const others = spill.filter((b) => b !== bucket);
  return [
    ...others,
    {
      start,
      lo: Math.min(bucket?.lo ?? entry.position, entry.position),
      hi: Math.max(bucket?.hi ?? entry.position, entry.position),
      bits: bloomAdd(bucket?.bits ?? emptyBloom(), hash),
    },
  ].sort((a, b) => a.start - b.start);
}

export type KeyLookup =
  | { readonly kind: 'known'; readonly position: number }
  /** Maybe used: look in these position ranges of the stream. */
  | { readonly kind: 'maybe'; readonly ranges: readonly (readonly [number, number])[] }
  | { readonly kind: 'new' };

/**
 * Where a key stands in the memory: held, maybe spilled to a filter, or unknown.
 * @internal
 */
export function lookupKey(
  memory: KeyMemory,
  hash: string,
  now: number,
  policy: KeyPolicy,
): KeyLookup {
  const retention = Math.ceil(policy.retentionMs / 1000);
  const entry = memory.keys.get(hash);
  if (entry && entry.at >= now - retention) return { kind: 'known', position: entry.position };
  const bucketSeconds = Math.max(1, Math.ceil(retention / 4));
  const ranges = memory.spill
    .filter((b) => b.start + bucketSeconds > now - retention && bloomMayHave(b.bits, hash))
    .map((b) => [b.lo, b.hi] as const);
  return ranges.length > 0 ? { kind: 'maybe', ranges } : { kind: 'new' };
}

/**
 * The key memory as a snapshot stores it.
 * @internal
 */
export function storedKeys(memory: KeyMemory): {
  recentKeys: RecentKey[];
  spilledKeys: StoredSpill[];
} {
  return {
    recentKeys: [...memory.keys].map(([hash, e]) => [hash, e.position, e.at] as const),
    spilledKeys: memory.spill.map((b) => ({
      start: b.start,
      lo: b.lo,
      hi: b.hi,
      bits: bloomToText(b.bits),
    })),
  };
}

/**
 * Reads a snapshot's keys; keys from before times were stored count as used at `fallbackAt`.
 * @internal
 */
export function keysFromStored(
  recentKeys: readonly RecentKey[],
  spilledKeys: readonly StoredSpill[] | undefined,
  fallbackAt: number,
): KeyMemory {
  const keys = new Map<string, KeyEntry>();
  for (const [hash, position, at] of [...recentKeys].sort((a, b) => a[1] - b[1])) {
    keys.set(hash, { position, at: at ?? fallbackAt });
  }
  const spill = (spilledKeys ?? []).map((b) => ({ ...b, bits: bloomFromText(b.bits) }));
  return { keys, spill };
}
