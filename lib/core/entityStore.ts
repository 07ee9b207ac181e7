/**
 * Runs commands against event-sourced entities: load (or take from the warm cache), decide,
 * append with a conditional write, and on conflict catch up and try again.
 */

import { appendCommit } from './appendOutcome.ts';
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
import { CommandRejectedError, ConcurrencyError, VersionMismatchError } from './errors.ts';
import { canonicalJson, fingerprint } from './hash.ts';
import { applyCommits, type EntityImage, emptyImage, keyHashOf } from './image.ts';
import { ImageReader } from './imageReader.ts';
import { KeyedReplays } from './keyedReplays.ts';
import { epochSeconds, type KeyPolicy, keyPolicyOf, trimKeys } from './keyMemory.ts';
import { LruCache } from './lruCache.ts';
import type { Commit, Journal } from './ports.ts';
import { isRejection } from './rejection.ts';
import { backoffDelay, commandRetryPolicy, type RetryPolicy } from './retry.ts';
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
  /** Conflicts in a row: the first is retried at once, later ones back off. */
  conflicts: number;
  /** The last conflict was resolved from the winner the failed write returned, without a read. */
  usedWinner: boolean;
  /** The image is behind: read what it missed before the next try (after the backoff). */
  stale: boolean;
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
  readonly #keys: KeyPolicy;
  readonly #replays: KeyedReplays<S, C, E>;
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
    this.#retry = { ...commandRetryPolicy, ...options.retry };
    this.#keys = keyPolicyOf(options.idempotency);
    this.#clock = options.clock ?? (() => new Date());
    this.#newCommandId = options.newCommandId ?? (() => globalThis.crypto.randomUUID());
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#observe = options.observe ?? (() => {});
    this.#replays = new KeyedReplays(entity, options.journal, this.#keys, this.#observe);
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

  /**
   * Runs one command: the heart of the write side. A conflict whose winner came back with the
   * failed write is retried at once on top of it; only repeated conflicts back off, and no
   * attempt starts after the retry budget or `options.deadline`.
   */
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
      conflicts: 0,
      usedWinner: false,
      stale: false,
    };
    const deadline = Math.min(
      Date.now() + this.#retry.timeBudgetMs,
      options.deadline ?? Number.POSITIVE_INFINITY,
    );
    let n = 1;
    for (; n <= this.#retry.maxAttempts; n++) {
      const result = await this.#attempt(run, attempt, n);
      if (result) return result;
      if (attempt.conflicts > 1) {
        const delay = backoffDelay(this.#retry, attempt.conflicts - 1, this.#random);
        if (Date.now() + delay >= deadline) break;
        await this.#sleep(delay);
      }
      if (Date.now() >= deadline) break;
      if (attempt.stale) await this.#catchUp(run.streamId, attempt);
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
    const now = this.#clock().toISOString();
    const replay = await this.#replays.find(run, image, epochSeconds(now));
    if (replay) return replay;
    if (options.expectedVersion !== undefined && image.version !== options.expectedVersion) {
      if (await this.#verify(streamId, attempt)) return undefined;
      throw new VersionMismatchError(streamId, options.expectedVersion, image.version);
    }
    const decision = this.entity.decide(run.command, image.state, metadataOf(run, now));
    if (isRejection(decision)) {
      // A refusal based on a stale image would be wrong: confirm it on the latest state.
      if (await this.#verify(streamId, attempt)) return undefined;
      throw new CommandRejectedError(streamId, decision.code, decision.message, decision.details);
    }
    const events: readonly E[] = Array.isArray(decision) ? decision : [decision as E];
    const state = events.reduce(this.entity.evolve, image.state);
    if (events.length === 0) {
      const reply = options.reply?.({ state, version: image.version, events });
      return { state, version: image.version, events: [], replayed: false, reply };
    }
    const reply = options.reply?.({ state, version: image.version + events.length, events });
    const commit = buildCommit(this.entity, image, state, events, {
      ...run,
      recordedAt: now,
      reply,
      keyPolicy: this.#keys,
    });
    const outcome = await this.#append(commit);
    switch (outcome.kind) {
      case 'stored':
        return this.#stored(run, image, outcome.commit, now);
      case 'replay':
        return this.#replays.answer(run, image, outcome.commit);
      case 'retry':
        return undefined;
      case 'conflict':
        await this.#afterConflict(streamId, attempt, outcome.winner, n);
        return undefined;
    }
  }

  /** The answer from the commit the journal holds (ours, maybe an earlier attempt's). */
  #stored<R>(
    run: CommandRun<C, S, E, R>,
    image: EntityImage<S>,
    commit: Commit,
    now: string,
  ): ExecuteResult<S, E, R> {
    const next = applyCommits(this.entity, image, [commit]);
    const events = recordedEvents<E>(this.entity.events, commit);
    this.#remember(run.streamId, {
      ...next,
      keys: trimKeys(next.keys, epochSeconds(now), this.#keys),
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

  async #append(commit: Commit) {
    try {
      return await appendCommit(this.#journal, commit, () =>
        this.#observe({ kind: 'ambiguous-write', streamId: commit.streamId }),
      );
    } catch (error) {
      this.#cache.delete(commit.streamId);
      throw error;
    }
  }

  /**
   * Catches up after losing a race. The winner that came back with the failed write is applied
   * without a read, once in a row: a writer far behind would otherwise catch up one commit per
   * attempt; then it reads what it missed.
   */
  async #afterConflict(
    streamId: string,
    attempt: Attempt<S>,
    winner: Commit | undefined,
    n: number,
  ): Promise<void> {
    this.#observe({ kind: 'conflict', streamId, attempt: n });
    attempt.conflicts++;
    if (winner && winner.from === attempt.image.version + 1 && !attempt.usedWinner) {
      attempt.image = applyCommits(this.entity, attempt.image, [winner]);
      attempt.usedWinner = true;
      this.#remember(streamId, attempt.image);
    } else {
      attempt.stale = true;
    }
  }

  /** Reads what a stale image missed, strongly consistent: the latest state before a retry. */
  async #catchUp(streamId: string, attempt: Attempt<S>): Promise<void> {
    attempt.image = await this.#reader.catchUp(streamId, attempt.image, true);
    attempt.verified = true;
    attempt.usedWinner = false;
    attempt.stale = false;
    this.#remember(streamId, attempt.image);
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
}
