/**
 * Recognising a repeated idempotency key: from the entity's key memory (no read), in the stream
 * range a Bloom filter points at (one Query), and answering as the first time did.
 */
import type { CommandRun, EntityStoreSignal, ExecuteResult } from './commands.ts';
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { IdempotencyKeyReusedError, RefusalReplayedError } from './errors.ts';
import type { EntityImage } from './image.ts';
import { type KeyPolicy, lookupKey } from './keyMemory.ts';
import type { Commit, Journal, Note } from './ports.ts';
import { recordedEvents } from './upcast.ts';

export class KeyedReplays<S, C extends DomainCommand, E extends DomainEvent> {
  constructor(
    readonly entity: Entity<S, C, E>,
    readonly journal: Journal,
    readonly policy: KeyPolicy,
    readonly observe: (signal: EntityStoreSignal) => void,
  ) {}

  /** The original answer when the run's key was used before on this entity, else undefined. */
  async find<R>(
    run: CommandRun<C, S, E, R>,
    image: EntityImage<S>,
    now: number,
  ): Promise<ExecuteResult<S, E, R> | undefined> {
    const key = run.options.idempotencyKey;
    if (key === undefined || run.keyHash === undefined) return undefined;
    if (image.note) this.answerNote(run, image.note);
    const found = lookupKey(image.keys, run.keyHash, now, this.policy);
    if (found.kind === 'new') return undefined;
    if (found.kind === 'known') {
      const commit = await this.journal.readAt(run.streamId, found.position, { consistent: true });
      // A different key under the same hash is a collision: not our key.
      return commit && holdsKey(commit, key) ? this.answer(run, image, commit) : undefined;
    }
    this.observe({ kind: 'key-lookup', streamId: run.streamId });
    for (const range of found.ranges) {
      const commit = await this.journal.findKeyed(run.streamId, key, range);
      if (commit) return this.answer(run, image, commit);
    }
    return undefined;
  }

  /**
   * When the note holds the run's key: throws its refusal again (RefusalReplayedError), or
   * IdempotencyKeyReusedError for another command under the key. Returns when it does not.
   */
  answerNote<R>(run: CommandRun<C, S, E, R>, note: Note): void {
    const key = run.options.idempotencyKey;
    const refusal = note.refusals.find((r) => r.key === key);
    if (!refusal || key === undefined) return;
    if (refusal.fingerprint !== undefined && refusal.fingerprint !== run.commandPrint) {
      throw new IdempotencyKeyReusedError(run.streamId, key);
    }
    this.observe({ kind: 'replay', streamId: run.streamId });
    throw new RefusalReplayedError(run.streamId, refusal.answer);
  }

  /** Answers as `commit` did for the run's key (its reply, or the refusal it carries). */
  answer<R>(
    run: CommandRun<C, S, E, R>,
    image: EntityImage<S>,
    commit: Commit,
  ): ExecuteResult<S, E, R> {
    const key = run.options.idempotencyKey ?? '';
    const refusal = commit.refusals?.find((r) => r.key === key);
    const print = refusal ? refusal.fingerprint : commit.fingerprint;
    if (print !== undefined && print !== run.commandPrint) {
      throw new IdempotencyKeyReusedError(run.streamId, key);
    }
    this.observe({ kind: 'replay', streamId: run.streamId });
    if (refusal) throw new RefusalReplayedError(run.streamId, refusal.answer);
    return {
      state: image.state,
      version: Math.max(image.version, commit.to),
      events: recordedEvents<E>(this.entity.events, commit),
      replayed: true,
      reply: commit.reply as R | undefined,
    };
  }
}

export function holdsKey(commit: Commit, key: string): boolean {
  return commit.idempotencyKey === key || (commit.refusals ?? []).some((r) => r.key === key);
}
