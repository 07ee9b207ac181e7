/**
 * Runs commands against event-sourced entities: load (or take from the warm cache), decide,
 * append with a conditional write, and on conflict catch up and try again.
 */

import {
  type CommandRun,
  type EntityStoreOptions,
  type EntityStoreSignal,
  type ExecuteOptions,
  type ExecuteResult,
  metadataOf,
} from './commands.ts';
import { buildCommit } from './commit.ts';
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { streamIdOf } from './entity.ts';
import {
  CommandRejectedError,
  ConcurrencyError,
  IdempotencyKeyReusedError,
  UnknownOutcomeError,
  VersionMismatchError,
} from './errors.ts';
import { canonicalJson, fingerprint } from './hash.ts';
import { applyCommits, type EntityImage, emptyImage, keyHashOf, trimKeys } from './image.ts';
import { ImageReader } from './imageReader.ts';
import { LruCache } from './lruCache.ts';
import { AmbiguousWriteError, AppendConflict, type Commit, type Journal } from './ports.ts';
import { isRejection } from './rejection.ts';
import { backoffDelay, defaultRetryPolicy, type RetryPolicy } from './retry.ts';
import { type RecordedEvent, recordedEvents } from './upcast.ts';

export type {
  EntityStoreOptions,
  EntityStoreSignal,
  ExecuteOptions,
  ExecuteResult,
} from './commands.ts';

interface Attempt<S> {
  image: EntityImage<S>;
  /** The image was confirmed by a strongly consistent read during this command. */
  verified: boolean;
  /** The last conflict was resolved from the winner the failed write returned, without a read. */
  usedWinner?: boolean;
}

/**
 * The event-sourced entities of one type.
 *
 * @example
 * ```ts
 * const counters = new EntityStore(counter, { journal });
 * const { version } = await counters.execute('c-1', { type: 'Increment', data: { by: 1 } });
 * const current = await counters.get('c-1', { consistent: true });
 * ```
 */
export class EntityStore<S, C extends DomainCommand, E extends DomainEvent> {
  readonly #journal: Journal;
  readonly #reader: ImageReader<S, C, E>;
  readonly #cache: LruCache<string, EntityImage<S>>;
  readonly #retry: RetryPolicy;
  readonly #window: number;
  readonly #clock: () => Date;
  readonly #newCommandId: () => string;
  readonly #random: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #observe: (signal: EntityStoreSignal) => void;

  constructor(
    readonly entity: Entity<S, C, E>,
    options: EntityStoreOptions,
  ) {
    this.#journal = options.journal;
    this.#reader = new ImageReader(entity, options.journal);
    this.#cache = new LruCache(options.cacheSize ?? 1000);
    this.#retry = { ...defaultRetryPolicy, ...options.retry };
    this.#window = options.idempotencyWindow ?? 100;
    this.#clock = options.clock ?? (() => new Date());
    this.#newCommandId = options.newCommandId ?? (() => globalThis.crypto.randomUUID());
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#observe = options.observe ?? (() => {});
  }

  streamId(entityId: string): string {
    return streamIdOf(this.entity.type, entityId);
  }

  /** The entity's state and version, or undefined when it has no events. */
  async get(
    entityId: string,
    options: { readonly consistent?: boolean } = {},
  ): Promise<{ state: S; version: number } | undefined> {
    const streamId = this.streamId(entityId);
    const cached = this.#cache.get(streamId);
    const image = cached
      ? await this.#reader.catchUp(streamId, cached, options.consistent ?? false)
      : await this.#reader.load(streamId, options.consistent ?? false);
    if (image !== cached) this.#remember(streamId, image);
    return image.version === 0 ? undefined : { state: image.state, version: image.version };
  }

  /** The stream's events after `after` (a position), oldest first, upcast: the audit trail. */
  async events(
    entityId: string,
    options: { readonly after?: number; readonly limit?: number } = {},
  ): Promise<RecordedEvent<E>[]> {
    const streamId = this.streamId(entityId);
    const after = options.after ?? 0;
    const limit = options.limit ?? 100;
    const first = after > 0 ? await this.#journal.readContaining(streamId, after + 1) : undefined;
    const rest = await this.#journal.readAfter(streamId, first ? first.from : after, { limit });
    const commits = first ? [first, ...rest] : rest;
    return commits
      .flatMap((commit) => recordedEvents<E>(this.entity.events, commit))
      .filter((event) => event.position > after)
      .slice(0, limit);
  }

  /** Runs one command: the heart of the write side. */
  async execute<R = undefined>(
    entityId: string,
    command: C,
    options: ExecuteOptions<S, E, R> = {},
  ): Promise<ExecuteResult<S, E, R>> {
    const key = options.idempotencyKey;
    const run: CommandRun<C, S, E, R> = {
      streamId: this.streamId(entityId),
      command,
      options,
      commandId: this.#newCommandId(),
      keyHash: key === undefined ? undefined : keyHashOf(key),
      commandPrint:
        key === undefined
          ? undefined
          : (options.fingerprint ?? fingerprint(canonicalJson(command))),
    };
    const attempt: Attempt<S> = {
      image: await this.#start(run.streamId, options),
      verified: options.isNew === true,
    };
    const deadline = Date.now() + this.#retry.timeBudgetMs;
    let n = 1;
    for (; n <= this.#retry.maxAttempts; n++) {
      const result = await this.#attempt(run, attempt, n);
      if (result) return result;
      if (Date.now() > deadline) break;
    }
    throw new ConcurrencyError(run.streamId, attempt.image.version, undefined, n);
  }

  /** One try at a command; undefined means "the image changed, try again". */
  async #attempt<R>(
    run: CommandRun<C, S, E, R>,
    attempt: Attempt<S>,
    n: number,
  ): Promise<ExecuteResult<S, E, R> | undefined> {
    const { streamId, options } = run;
    const { image } = attempt;
    const keyPosition = run.keyHash === undefined ? undefined : image.keys.get(run.keyHash);
    if (keyPosition !== undefined) {
      const replay = await this.#replay<R>(run, image, keyPosition);
      if (replay) return replay;
    }
    if (options.expectedVersion !== undefined && image.version !== options.expectedVersion) {
      if (await this.#verify(streamId, attempt)) return undefined;
      throw new VersionMismatchError(streamId, options.expectedVersion, image.version);
    }
    const now = this.#clock().toISOString();
    const decision = this.entity.decide(run.command, image.state, metadataOf(run, now));
    if (isRejection(decision)) {
      // A refusal based on a stale image would be wrong: confirm it on the latest state.
      if (await this.#verify(streamId, attempt)) return undefined;
      throw new CommandRejectedError(streamId, decision.code, decision.message, decision.details);
    }
    const events: readonly E[] = Array.isArray(decision) ? decision : [decision as E];
    const state = events.reduce(this.entity.evolve, image.state);
    const reply = options.reply?.({ state, version: image.version + events.length, events });
    if (events.length === 0) {
      return { state, version: image.version, events: [], replayed: false, reply };
    }
    const commit = buildCommit(this.entity, image, state, events, {
      ...run,
      recordedAt: now,
      reply,
      window: this.#window,
    });
    const written = await this.#append(commit, attempt, n);
    if (written === 'conflict') return undefined;
    // Someone else's commit holds our key: the command had already been applied.
    if (written !== 'ours') return this.#replayCommit<R>(run, attempt.image, written);
    const keys = new Map(image.keys);
    if (run.keyHash !== undefined) keys.set(run.keyHash, commit.from);
    this.#remember(streamId, {
      state,
      version: commit.to,
      keys: commit.snapshot ? trimKeys(keys, this.#window) : keys,
    });
    return {
      state,
      version: commit.to,
      events: recordedEvents<E>(this.entity.events, commit),
      replayed: false,
      reply,
    };
  }

  /** Forgets every cached image (tests, or after a rebuild). */
  clearCache(): void {
    this.#cache.clear();
  }

  async #start(streamId: string, options: { isNew?: boolean }): Promise<EntityImage<S>> {
    if (options.isNew) return emptyImage(this.entity);
    const cached = this.#cache.get(streamId);
    this.#observe({ kind: 'cache', streamId, hit: cached !== undefined });
    return cached ?? this.#reader.load(streamId, false);
  }

  /** Refreshes the attempt's image with a strongly consistent read, once per command. */
  async #verify(streamId: string, attempt: Attempt<S>): Promise<boolean> {
    if (attempt.verified) return false;
    attempt.verified = true;
    const fresh = await this.#reader.catchUp(streamId, attempt.image, true);
    const changed = fresh.version !== attempt.image.version;
    attempt.image = fresh;
    if (changed) this.#remember(streamId, fresh);
    return changed;
  }

  #remember(streamId: string, image: EntityImage<S>): void {
    this.#cache.set(streamId, image);
  }

  /**
   * Appends; on a conflict or an unknown outcome works out what happened.
   * @returns 'ours' when our commit is stored, 'conflict' after catching up for another try,
   *   or the winning commit when it carries our idempotency key.
   */
  async #append(
    commit: Commit,
    attempt: Attempt<S>,
    n: number,
  ): Promise<'ours' | 'conflict' | Commit> {
    const { streamId } = commit;
    let winner: Commit | undefined;
    try {
      await this.#journal.append(commit);
      return 'ours';
    } catch (error) {
      if (error instanceof AmbiguousWriteError) {
        this.#observe({ kind: 'ambiguous-write', streamId });
        winner = await this.#readAfterAmbiguity(commit, error);
        if (!winner) return 'conflict'; // nothing there: the next attempt writes the same position
      } else if (error instanceof AppendConflict) {
        winner = error.existing;
      } else {
        this.#cache.delete(streamId);
        throw error;
      }
    }
    if (winner?.commandId === commit.commandId) return 'ours';
    if (
      winner &&
      commit.idempotencyKey !== undefined &&
      winner.idempotencyKey === commit.idempotencyKey
    ) {
      return winner;
    }
    this.#observe({ kind: 'conflict', streamId, attempt: n });
    if (n < this.#retry.maxAttempts) await this.#sleep(backoffDelay(this.#retry, n, this.#random));
    if (winner && winner.from === attempt.image.version + 1 && !attempt.usedWinner) {
      // The winner came back with the failed write: apply it instead of reading. Only once in a
      // row: a writer far behind would otherwise catch up one commit per attempt.
      attempt.image = applyCommits(this.entity, attempt.image, [winner]);
      attempt.usedWinner = true;
    } else {
      attempt.usedWinner = false;
      attempt.image = await this.#reader.catchUp(streamId, attempt.image, true);
      attempt.verified = true;
    }
    this.#remember(streamId, attempt.image);
    return 'conflict';
  }

  async #readAfterAmbiguity(
    commit: Commit,
    error: AmbiguousWriteError,
  ): Promise<Commit | undefined> {
    try {
      return await this.#journal.readAt(commit.streamId, commit.from, { consistent: true });
    } catch (cause) {
      this.#cache.delete(commit.streamId);
      throw new UnknownOutcomeError(commit.streamId, commit.from, { cause: cause ?? error });
    }
  }

  async #replay<R>(
    run: CommandRun<C, S, E, R>,
    image: EntityImage<S>,
    position: number,
  ): Promise<ExecuteResult<S, E, R> | undefined> {
    const commit = await this.#journal.readAt(run.streamId, position, { consistent: true });
    // A different key under the same hash is a collision: not our key.
    if (!commit || commit.idempotencyKey !== run.options.idempotencyKey) return undefined;
    return this.#replayCommit<R>(run, image, commit);
  }

  #replayCommit<R>(
    run: CommandRun<C, S, E, R>,
    image: EntityImage<S>,
    commit: Commit,
  ): ExecuteResult<S, E, R> {
    if (commit.fingerprint !== undefined && commit.fingerprint !== run.commandPrint) {
      throw new IdempotencyKeyReusedError(run.streamId, commit.idempotencyKey ?? '');
    }
    this.#observe({ kind: 'replay', streamId: run.streamId });
    return {
      state: image.state,
      version: Math.max(image.version, commit.to),
      events: recordedEvents<E>(this.entity.events, commit),
      replayed: true,
      reply: commit.reply as R | undefined,
    };
  }
}
