/**
 * One command's attempts: decide on the image, append with a conditional write, and work out
 * what happened (stored, replayed, refused and kept, or lost to a winner to catch up with).
 */
import { appendCommit } from './appendOutcome.ts';
import { type Attempt, afterConflict, catchUp } from './attempt.ts';
import {
  type CommandRun,
  type EntityStoreSignal,
  type ExecuteResult,
  metadataOf,
} from './commands.ts';
import { buildCommit } from './commit.ts';
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { rejectedError, VersionMismatchError } from './errors.ts';
import { applyCommits, type EntityImage } from './image.ts';
import type { ImageReader } from './imageReader.ts';
import type { KeyedReplays } from './keyedReplays.ts';
import { epochSeconds, type KeyPolicy, trimKeys } from './keyMemory.ts';
import type { Commit, Journal, Note } from './ports.ts';
import { liveRefusals, writeRefusal } from './refusalNotes.ts';
import { isRejection } from './rejection.ts';
import { recordedEvents } from './upcast.ts';

/** What attempts need from their store. */
export interface AttemptDeps<S, C extends DomainCommand, E extends DomainEvent> {
  readonly entity: Entity<S, C, E>;
  readonly journal: Journal;
  readonly reader: ImageReader<S, C, E>;
  readonly replays: KeyedReplays<S, C, E>;
  readonly keys: KeyPolicy;
  readonly clock: () => Date;
  readonly observe: (signal: EntityStoreSignal) => void;
  /** Puts an image in the warm cache. */
  readonly remember: (streamId: string, image: EntityImage<S>) => void;
  /** Drops a stream's image from the warm cache (its state is unknown). */
  readonly forget: (streamId: string) => void;
}

export class CommandAttempts<S, C extends DomainCommand, E extends DomainEvent> {
  constructor(readonly deps: AttemptDeps<S, C, E>) {}

  /** One try at a command; undefined means "the image changed, try again". */
  async attempt<R>(
    run: CommandRun<C, S, E, R>,
    attempt: Attempt<S>,
    n: number,
  ): Promise<ExecuteResult<S, E, R> | undefined> {
    const { streamId, options } = run;
    const now = this.deps.clock().toISOString();
    const replay = await this.deps.replays.find(run, attempt.image, epochSeconds(now));
    if (replay) return replay;
    let decided: { events: readonly E[]; state: S } | undefined;
    try {
      decided = await this.#decide(run, attempt, now);
    } catch (error) {
      const answer = run.keyHash === undefined ? undefined : options.refusal?.(error);
      if (answer === undefined || !(await this.#keepRefusal(run, attempt, answer, now, n))) {
        throw error;
      }
      return undefined;
    }
    if (!decided) return undefined;
    const { image } = attempt;
    const { events, state } = decided;
    if (events.length === 0) {
      const reply = options.reply?.({ state, version: image.version, events });
      return { state, version: image.version, events: [], replayed: false, reply };
    }
    const reply = options.reply?.({ state, version: image.version + events.length, events });
    const commit = buildCommit(this.deps.entity, image, state, events, {
      ...run,
      recordedAt: now,
      reply,
      keyPolicy: this.deps.keys,
      refusals: liveRefusals(image.note, epochSeconds(now), this.deps.keys),
    });
    const outcome = await this.#append(commit, image.note);
    switch (outcome.kind) {
      case 'stored':
        return this.#stored(run, image, outcome.commit, now);
      case 'replay':
        return this.deps.replays.answer(run, image, outcome.commit);
      case 'note':
        this.deps.replays.answerNote(run, outcome.note);
        attempt.image = { ...image, note: outcome.note };
        return undefined;
      case 'retry':
        attempt.unanswered = true;
        return undefined;
      case 'conflict':
        attempt.unanswered = false;
        afterConflict(this.deps, streamId, attempt, outcome.winner, n);
        return undefined;
    }
  }

  /** The events the command decides on the attempt's image; undefined when that image changed. */
  async #decide(
    run: CommandRun<C, S, E, unknown>,
    attempt: Attempt<S>,
    now: string,
  ): Promise<{ events: readonly E[]; state: S } | undefined> {
    const { streamId, options } = run;
    const { image } = attempt;
    const refused = await options.guard?.(image.state);
    if (isRejection(refused)) throw rejectedError(streamId, refused, this.deps.entity.rejections);
    if (options.expectedVersion !== undefined && image.version !== options.expectedVersion) {
      if (await this.#verify(streamId, attempt)) return undefined;
      throw new VersionMismatchError(streamId, options.expectedVersion, image.version);
    }
    const decision = this.deps.entity.decide(run.command, image.state, metadataOf(run, now));
    if (isRejection(decision)) {
      // A refusal based on a stale image would be wrong: confirm it on the latest state.
      if (await this.#verify(streamId, attempt)) return undefined;
      throw rejectedError(streamId, decision, this.deps.entity.rejections);
    }
    const events: readonly E[] = Array.isArray(decision) ? decision : [decision as E];
    return { events, state: events.reduce(this.deps.entity.evolve, image.state) };
  }

  /**
   * Keeps a keyed refusal as a note at the next position. True when the command must be tried
   * again (the position was taken meanwhile); false once the note holds the refusal.
   * @throws RefusalReplayedError when another attempt with the key was refused first
   */
  async #keepRefusal(
    run: CommandRun<C, S, E, unknown>,
    attempt: Attempt<S>,
    answer: unknown,
    now: string,
    n: number,
  ): Promise<boolean> {
    const { image } = attempt;
    const { journal, entity, keys } = this.deps;
    const seconds = epochSeconds(now);
    const outcome = await writeRefusal(journal, entity.type, run, image, answer, seconds, keys);
    switch (outcome.kind) {
      case 'noted':
        this.deps.remember(run.streamId, { ...image, note: outcome.note });
        return false;
      case 'note':
        this.deps.replays.answerNote(run, outcome.note);
        attempt.image = { ...image, note: outcome.note };
        return true;
      case 'conflict':
        afterConflict(this.deps, run.streamId, attempt, outcome.winner, n);
        return true;
      case 'retry':
        return true;
    }
  }

  /** The answer from the commit the journal holds (ours, maybe an earlier attempt's). */
  #stored<R>(
    run: CommandRun<C, S, E, R>,
    image: EntityImage<S>,
    commit: Commit,
    now: string,
  ): ExecuteResult<S, E, R> {
    const next = applyCommits(this.deps.entity, image, [commit]);
    const events = recordedEvents<E>(this.deps.entity.events, commit);
    this.deps.remember(run.streamId, {
      ...next,
      keys: trimKeys(next.keys, epochSeconds(now), this.deps.keys),
    });
    const reply =
      commit.reply !== undefined
        ? (commit.reply as R)
        : run.options.reply?.({
            state: next.state,
            version: next.version,
            events: events.map((e) => ({ type: e.type, data: e.data }) as E),
          });
    return { state: next.state, version: next.version, events, replayed: false, reply };
  }

  async #append(commit: Commit, replacing: Note | undefined) {
    try {
      return await appendCommit(this.deps.journal, commit, replacing, () =>
        this.deps.observe({ kind: 'ambiguous-write', streamId: commit.streamId }),
      );
    } catch (error) {
      this.deps.forget(commit.streamId);
      throw error;
    }
  }

  /** Reads what a stale image missed, strongly consistent: the latest state before a retry. */
  catchUp(streamId: string, attempt: Attempt<S>): Promise<void> {
    return catchUp(this.deps, streamId, attempt);
  }

  /** Refreshes the attempt's image with a strongly consistent read, once per command. */
  async #verify(streamId: string, attempt: Attempt<S>): Promise<boolean> {
    if (attempt.verified) return false;
    attempt.verified = true;
    const fresh = await this.deps.reader.catchUp(streamId, attempt.image, true);
    const changed = fresh.version !== attempt.image.version;
    attempt.image = fresh;
    if (changed) this.deps.remember(streamId, fresh);
    return changed;
  }
}
