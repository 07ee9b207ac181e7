/**
 * Marking an idempotency key as used on an entity id derived from the key, for a keyed create
 * that writes elsewhere under an id the client chose (see `EntityStore.claimKey`): the mark is a
 * refusal note with the first answer, so a later request with the key meets it on either path.
 */
import type { CommandRun } from './commands.ts';
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { ConcurrencyError, RefusalReplayedError } from './errors.ts';
import { applyCommits, type EntityImage } from './image.ts';
import type { KeyedReplays } from './keyedReplays.ts';
import { epochSeconds, type KeyPolicy } from './keyMemory.ts';
import type { Journal } from './ports.ts';
import { writeRefusal } from './refusalNotes.ts';

export interface KeyClaimDeps<S, C extends DomainCommand, E extends DomainEvent> {
  readonly entity: Entity<S, C, E>;
  readonly journal: Journal;
  readonly replays: KeyedReplays<S, C, E>;
  readonly keys: KeyPolicy;
  readonly clock: () => Date;
  readonly remember: (streamId: string, image: EntityImage<S>) => void;
}

/** Most notes a claim writes before it gives up on a stream others keep writing. */
const maxClaimAttempts = 10;

/**
 * Writes the claim's note on top of `image`, catching up with what wins meanwhile; returns once
 * the key is marked (by this claim or an earlier one with the same fingerprint).
 * @throws IdempotencyKeyReusedError when the key was used with another fingerprint
 */
export async function claimKey<S, C extends DomainCommand, E extends DomainEvent>(
  deps: KeyClaimDeps<S, C, E>,
  run: CommandRun<C, S, E, unknown>,
  start: EntityImage<S>,
  answer: unknown,
): Promise<void> {
  let image = start;
  for (let n = 1; n <= maxClaimAttempts; n++) {
    const now = epochSeconds(deps.clock().toISOString());
    if (await claimed(deps.replays, run, image, now)) return;
    const outcome = await writeRefusal(
      deps.journal,
      deps.entity.type,
      run,
      image,
      answer,
      now,
      deps.keys,
    );
    if (outcome.kind === 'noted') {
      deps.remember(run.streamId, { ...image, note: outcome.note });
      return;
    }
    if (outcome.kind === 'note') image = { ...image, note: outcome.note };
    if (outcome.kind === 'conflict' && outcome.winner) {
      image = applyCommits(deps.entity, image, [outcome.winner]);
    }
  }
  throw new ConcurrencyError(run.streamId, image.version, undefined, maxClaimAttempts);
}

/** Whether the image shows the claim's key already used with the same command. */
async function claimed<S, C extends DomainCommand, E extends DomainEvent>(
  replays: KeyedReplays<S, C, E>,
  run: CommandRun<C, S, E, unknown>,
  image: EntityImage<S>,
  now: number,
): Promise<boolean> {
  try {
    return (await replays.find(run, image, now)) !== undefined;
  } catch (error) {
    if (error instanceof RefusalReplayedError) return true;
    throw error;
  }
}
