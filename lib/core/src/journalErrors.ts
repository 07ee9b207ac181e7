/**
 * What a journal adapter reports besides success: the position is taken (the store catches up
 * and decides again), or the write's outcome is unknown (the store re-reads to settle it). The
 * stores turn these into the errors of `errors.ts` that reach callers.
 */
import { FrameworkError } from './errors.ts';
import type { Commit, Note } from './ports.ts';

/**
 * Thrown by `Journal.append` when the position is taken: not an error of the command yet (the
 * store catches up and decides again). A `FrameworkError`, so that one escaping a store is still
 * told apart by its code; never retryable as it is, since the same commit cannot take the
 * position.
 */
export class AppendConflict extends FrameworkError {
  readonly code = 'append-conflict';

  constructor(
    readonly streamId: string,
    readonly from: number,
    /** The record that holds the position, when the store returned it. */
    readonly existing: Commit | undefined,
    options?: { cause?: unknown; note?: Note },
  ) {
    super(`${streamId}: position ${from} is taken`, options);
    // Spelled out: bundles are minified, and logs should still name the class.
    this.name = 'AppendConflict';
    this.note = options?.note;
  }

  /** The note that holds the position, when that is what is there. */
  readonly note: Note | undefined;
}

/**
 * Thrown by adapters when a write's outcome is unknown (a timeout, a dropped connection): it may
 * or may not have been applied. The stores re-read to settle it; one that stays unsettled
 * becomes `UnknownOutcomeError`.
 */
export class AmbiguousWriteError extends FrameworkError {
  readonly code = 'ambiguous-write';
  override readonly retryable = true;

  constructor(options?: { cause?: unknown }) {
    super('The write may or may not have been applied', options);
    this.name = 'AmbiguousWriteError';
  }
}
