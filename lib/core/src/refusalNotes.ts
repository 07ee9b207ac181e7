/**
 * Keeping a keyed command's refusal without a read on the happy path: the refusal is written as
 * a note at the entity's next position. The next commit there meets it through its conditional
 * write (ALL_OLD), replaces it and carries its refusals forward, so a repeat of a refused key
 * answers the same refusal for the key's retention, from any container, after any restart.
 */
import type { CommandRun } from './commands.ts';
import type { DomainEvent } from './entity.ts';
import type { EntityImage } from './image.ts';
import { AmbiguousWriteError, AppendConflict } from './journalErrors.ts';
import type { KeyPolicy } from './keyMemory.ts';
import type { Commit, Journal, Note } from './ports.ts';

/** Refusals one note keeps (the oldest go first): a note stays far below the item limit. */
export const maxRefusalsPerNote = 50;

export type NoteOutcome =
  | { readonly kind: 'noted'; readonly note: Note }
  /** Another note got there first: add to it. */
  | { readonly kind: 'note'; readonly note: Note }
  /** A commit took the position: the state moved on, decide again. */
  | { readonly kind: 'conflict'; readonly winner: Commit | undefined }
  /** The note may have landed: the next try meets it if it did. */
  | { readonly kind: 'retry' };

/** The refusals still remembered at `now` (epoch seconds), without `key`. */
export function liveRefusals(note: Note | undefined, now: number, policy: KeyPolicy, key?: string) {
  const horizon = now - Math.ceil(policy.retentionMs / 1000);
  return (note?.refusals ?? []).filter((r) => r.at >= horizon && r.key !== key);
}

export async function writeRefusal<C, S, E extends DomainEvent, R>(
  journal: Journal,
  entityType: string,
  run: CommandRun<C, S, E, R>,
  image: EntityImage<S>,
  answer: unknown,
  now: number,
  policy: KeyPolicy,
): Promise<NoteOutcome> {
  const key = run.options.idempotencyKey ?? '';
  const refusals = [
    ...liveRefusals(image.note, now, policy, key),
    {
      key,
      ...(run.commandPrint === undefined ? {} : { fingerprint: run.commandPrint }),
      answer,
      at: now,
    },
  ].slice(-maxRefusalsPerNote);
  const note: Note = {
    streamId: run.streamId,
    entityType,
    position: image.version + 1,
    refusals,
    revision: (image.note?.revision ?? 0) + 1,
    // Kept an hour beyond the retention: the refusals it holds are forgotten by then anyway.
    expiresAt: now + Math.ceil(policy.retentionMs / 1000) + 3600,
  };
  try {
    await journal.writeNote(note, image.note);
    return { kind: 'noted', note };
  } catch (error) {
    if (error instanceof AppendConflict) {
      return error.note
        ? { kind: 'note', note: error.note }
        : { kind: 'conflict', winner: error.existing };
    }
    if (error instanceof AmbiguousWriteError) return { kind: 'retry' };
    throw error;
  }
}
