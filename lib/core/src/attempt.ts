/**
 * The state of one command's attempts, and how it moves after a lost race: apply the winner the
 * failed write returned, or mark the image stale and read what it missed before the next try.
 */
import type { EntityStoreSignal } from './commands.ts';
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { applyCommits, type EntityImage } from './image.ts';
import type { ImageReader } from './imageReader.ts';
import type { Commit } from './ports.ts';

export interface Attempt<S> {
  image: EntityImage<S>;
  /** The image was confirmed by a strongly consistent read during this command. */
  verified: boolean;
  /** Conflicts in a row: the first is retried at once, later ones back off. */
  conflicts: number;
  /** The last conflict was resolved from the winner the failed write returned, without a read. */
  usedWinner: boolean;
  /** The image is behind: read what it missed before the next try (after the backoff). */
  stale: boolean;
  /** The last write's outcome was unknown and it had not landed: the store is failing. */
  unanswered?: boolean;
}

/** What moving an attempt's image needs from its store. */
export interface AttemptStateDeps<S, C extends DomainCommand, E extends DomainEvent> {
  readonly entity: Entity<S, C, E>;
  readonly reader: ImageReader<S, C, E>;
  readonly observe: (signal: EntityStoreSignal) => void;
  /** Puts an image in the warm cache. */
  readonly remember: (streamId: string, image: EntityImage<S>) => void;
}

/**
 * Catches up after losing a race. The winner that came back with the failed write is applied
 * without a read, once in a row: a writer far behind would otherwise catch up one commit per
 * attempt; then it reads what it missed.
 */
export function afterConflict<S, C extends DomainCommand, E extends DomainEvent>(
  deps: AttemptStateDeps<S, C, E>,
  streamId: string,
  attempt: Attempt<S>,
  winner: Commit | undefined,
  n: number,
): void {
  deps.observe({ kind: 'conflict', streamId, attempt: n });
  attempt.conflicts++;
  if (winner && winner.from === attempt.image.version + 1 && !attempt.usedWinner) {
    attempt.image = applyCommits(deps.entity, attempt.image, [winner]);
    attempt.usedWinner = true;
    deps.remember(streamId, attempt.image);
  } else {
    attempt.stale = true;
    // A note the image expected may be gone (its TTL ran out) or replaced: learn it afresh.
    if (attempt.image.note) {
      const { note: _gone, ...rest } = attempt.image;
      attempt.image = rest;
    }
  }
}

/** Reads what a stale image missed, strongly consistent: the latest state before a retry. */
export async function catchUp<S, C extends DomainCommand, E extends DomainEvent>(
  deps: AttemptStateDeps<S, C, E>,
  streamId: string,
  attempt: Attempt<S>,
): Promise<void> {
  attempt.image = await deps.reader.catchUp(streamId, attempt.image, true);
  attempt.verified = true;
  attempt.usedWinner = false;
  attempt.stale = false;
  deps.remember(streamId, attempt.image);
}
