/**
 * What became of one conditional append: stored (ours, as the journal holds it), taken by a
 * winner (ours from an earlier attempt, someone else's under our idempotency key, or another
 * command), or unknown.
 */
import { UnknownOutcomeError } from './errors.ts';
import { AmbiguousWriteError, AppendConflict } from './journalErrors.ts';
import type { Commit, Journal, Note } from './ports.ts';

export type AppendOutcome =
  /** The journal holds our command at this position: this commit (maybe an earlier attempt's). */
  | { readonly kind: 'stored'; readonly commit: Commit }
  /** Another command's commit holds our idempotency key: the command had already been applied. */
  | { readonly kind: 'replay'; readonly commit: Commit }
  /** A note (other keyed commands' refusals) holds the position: replace it, carrying it. */
  | { readonly kind: 'note'; readonly note: Note }
  /** Another command took the position; `winner` when the store returned it. */
  | { readonly kind: 'conflict'; readonly winner: Commit | undefined }
  /** The write may not have happened and nothing is there yet: try the position again. */
  | { readonly kind: 'retry' };

export async function appendCommit(
  journal: Journal,
  commit: Commit,
  replacing: Note | undefined,
  onAmbiguous: () => void,
): Promise<AppendOutcome> {
  let winner: Commit | undefined;
  try {
    await journal.append(commit, replacing);
    return { kind: 'stored', commit };
  } catch (error) {
    if (error instanceof AppendConflict && error.note) return { kind: 'note', note: error.note };
    if (error instanceof AmbiguousWriteError) {
      onAmbiguous();
      winner = await readAfterAmbiguity(journal, commit, error);
      if (!winner) return { kind: 'retry' };
    } else if (error instanceof AppendConflict) {
      winner = error.existing;
    } else {
      throw error;
    }
  }
  // Our own earlier attempt landed (late, or the SDK's retry met it): the journal's decision is
  // the answer, not the one this attempt made.
  if (winner?.commandId === commit.commandId) return { kind: 'stored', commit: winner };
  if (
    winner &&
    commit.idempotencyKey !== undefined &&
    winner.idempotencyKey === commit.idempotencyKey
  ) {
    return { kind: 'replay', commit: winner };
  }
  return { kind: 'conflict', winner };
}

async function readAfterAmbiguity(
  journal: Journal,
  commit: Commit,
  error: AmbiguousWriteError,
): Promise<Commit | undefined> {
  try {
    return await journal.readAt(commit.streamId, commit.from, { consistent: true });
  } catch (cause) {
    throw new UnknownOutcomeError(commit.streamId, commit.from, { cause: cause ?? error });
  }
}
