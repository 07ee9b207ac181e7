/**
 * Ids derived from an idempotency scope: a create under a server-generated id takes the id its
 * key's scope names, so a repeat of the request writes to the same position of the same stream
 * and meets the first commit there (no claim record, no read). ULID-shaped: 26 characters of
 * Crockford's base32 (128 bits of SHA-256), a valid id for the contract's id pattern.
 */
import { createHash } from 'node:crypto';

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function derivedIdOf(scope: string): string {
  const bytes = createHash('sha256').update(`derived-id ${scope}`).digest();
  let value = 0n;
  for (const byte of bytes.subarray(0, 16)) value = (value << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < 26; i++) {
    id = (crockford[Number(value & 31n)] ?? '0') + id;
    value >>= 5n;
  }
  return id;
}
