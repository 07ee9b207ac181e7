/**
 * Claims: exactly-once effects without a window. A commit may claim keys (an event it is the
 * effect of, an order it credits) and require keys claimed before; the journal adapter writes
 * the claims atomically with the commit, and a claim is never forgotten. A second commit that
 * claims the same key is refused as a whole, however late it comes: a redelivery a month after
 * the first is as harmless as one a second after.
 */
import type { Commit } from './ports.ts';

/** What a commit claims and what it requires to have been claimed already. */
export interface CommitClaims {
  /** Keys no other commit may claim; the commit is refused if one is taken. */
  readonly claims: readonly string[];
  /** Keys that must have been claimed before; the commit is refused if one is not. */
  readonly requires: readonly string[];
}

/** Derives a commit's claims from its events (pure: the app's rule, applied by the adapter). */
export type ClaimsOf = (commit: Commit) => CommitClaims;

/** A commit was refused because keys it claims are taken. Nothing was written. */
export class ClaimTakenError extends Error {
  readonly code = 'claim-taken';
  constructor(
    readonly streamId: string,
    readonly keys: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`${streamId}: already claimed: ${keys.join(', ')}`, options);
    this.name = 'ClaimTakenError';
  }
}

/** A commit was refused because keys it requires were never claimed. Nothing was written. */
export class ClaimMissingError extends Error {
  readonly code = 'claim-missing';
  constructor(
    readonly streamId: string,
    readonly keys: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`${streamId}: not claimed yet: ${keys.join(', ')}`, options);
    this.name = 'ClaimMissingError';
  }
}
