/**
 * A fixed-size Bloom filter over 64-bit fingerprints (16 hex characters): it answers "certainly
 * not here" or "maybe here" in a bounded number of bytes, whatever the number of members.
 */

/** Bits per filter: 8,192 (1 KiB). About 1 % false positives at 850 members. */
export const bloomBits = 8192;
const probes = 6;

/**
 * A Bloom filter with no key in it.
 * @internal
 */
export function emptyBloom(): Uint8Array {
  return new Uint8Array(bloomBits / 8);
}

/** Double hashing: the two 32-bit halves of the fingerprint give every probe position. */
function positions(hash: string): number[] {
  const h1 = Number.parseInt(hash.slice(0, 8), 16) >>> 0;
  const h2 = Number.parseInt(hash.slice(8, 16), 16) | 1;
  return Array.from({ length: probes }, (_, i) => (h1 + Math.imul(i, h2)) >>> 0) //
    .map((p) => p % bloomBits);
}

/**
 * A copy of `bits` with `hash` added.
 * @internal
 */
export function bloomAdd(bits: Uint8Array, hash: string): Uint8Array {
  const next = new Uint8Array(bits);
  for (const p of positions(hash)) next[p >>> 3] = (next[p >>> 3] ?? 0) | (1 << (p & 7));
  return next;
}

/**
 * Whether the filter may hold the hash (false: certainly not).
 * @internal
 */
export function bloomMayHave(bits: Uint8Array, hash: string): boolean {
  return positions(hash).every((p) => ((bits[p >>> 3] ?? 0) & (1 << (p & 7))) !== 0);
}

export function bloomToText(bits: Uint8Array): string {
  let binary = '';
  for (const byte of bits) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function bloomFromText(text: string): Uint8Array {
  const binary = atob(text);
  const bits = emptyBloom();
  for (let i = 0; i < Math.min(binary.length, bits.length); i++) bits[i] = binary.charCodeAt(i);
  return bits;
}
