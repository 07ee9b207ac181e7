/**
 * Partition keys of the HTTP idempotency records older versions wrote (`Idem#<scope>`, TTL).
 * Keyed requests no longer write any: creates take an id derived from the key's scope and
 * refusals are notes in the entity's own stream (`lib/core/refusalNotes.ts`). The prefix stays
 * while deployed roles still grant it, so that records written before expire untouched.
 */
export const idempotencyKeyPrefix = 'Idem#';
