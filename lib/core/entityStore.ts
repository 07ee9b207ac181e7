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
import {
  CommandRejectedError,
  ConcurrencyError,
  RefusalReplayedError,
  VersionMismatchError,
} from './errors.ts';
import { canonicalJson, fingerprint } from './hash.ts';
import { applyCommits, type EntityImage, emptyImage, keyHashOf } from './image.ts';
import { ImageReader } from './imageReader.ts';
import { KeyedReplays } from './keyedReplays.ts';
import { epochSeconds, type KeyPolicy, keyPolicyOf, trimKeys } from './keyMemory.ts';
import { LruCache } from './lruCache.ts';
import type { Commit, Journal, Note } from './ports.ts';
import { liveRefusals, writeRefusal } from './refusalNotes.ts';
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
    const now = this.#clock().toISOString();
    const replay = await this.#replays.find(run, attempt.image, epochSeconds(now));
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
    const commit = buildCommit(this.entity, image, state, events, {
      ...run,
      recordedAt: now,
      reply,
      keyPolicy: this.#keys,
      refusals: liveRefusals(image.note, epochSeconds(now), this.#keys),
    });
    const outcome = await this.#append(commit, image.note);
    switch (outcome.kind) {
      case 'stored':
        return this.#stored(run, image, outcome.commit, now);
      case 'replay':
        return this.#replays.answer(run, image, outcome.commit);
      case 'note':
        this.#replays.answerNote(run, outcome.note);
        attempt.image = { ...image, note: outcome.note };
        return undefined;
      case 'retry':
        return undefined;
      case 'conflict':
        await this.#afterConflict(streamId, attempt, outcome.winner, n);
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
    await options.guard?.();
    const { image } = attempt;
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
    return { events, state: events.reduce(this.entity.evolve, image.state) };
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
    const seconds = epochSeconds(now);
    const outcome = await writeRefusal(
      this.#journal,
      this.entity.type,
      run,
      image,
      answer,
      seconds,
      this.#keys,
    );
    switch (outcome.kind) {
      case 'noted':
        this.#remember(run.streamId, { ...image, note: outcome.note });
        return false;
      case 'note':
        this.#replays.answerNote(run, outcome.note);
        attempt.image = { ...image, note: outcome.note };
        return true;
      case 'conflict':
        await this.#afterConflict(run.streamId, attempt, outcome.winner, n);
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

  async #append(commit: Commit, replacing: Note | undefined) {
    try {
      return await appendCommit(this.#journal, commit, replacing, () =>
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

  /**
   * Marks an idempotency key as used on `entityId` (a fresh id derived from the key), for a
   * keyed create that writes elsewhere, under an id the client chose: a later request with the
   * key and another command, on either path, then meets this mark and is refused.
   * @throws IdempotencyKeyReusedError when the key was used with another fingerprint
   */
  async claimKey(
    entityId: string,
    claim: {
      readonly idempotencyKey: string;
      readonly fingerprint: string;
      readonly answer: unknown;
    },
  ): Promise<void> {
    const streamId = this.streamId(entityId);
    const run: CommandRun<C, S, E, unknown> = {
      streamId,
      command: { type: 'ClaimKey', data: {} } as C,
      options: { idempotencyKey: claim.idempotencyKey },
      commandId: this.#newCommandId(),
      keyHash: keyHashOf(claim.idempotencyKey),
      commandPrint: claim.fingerprint,
    };
    let image = await this.#start(streamId, { isNew: true });
    for (let n = 1; n <= 10; n++) {
      const now = epochSeconds(this.#clock().toISOString());
      if (await this.#claimed(run, image, now)) return;
      const outcome = await writeRefusal(
        this.#journal,
        this.entity.type,
        run,
        image,
        claim.answer,
        now,
        this.#keys,
      );
      if (outcome.kind === 'noted') {
        this.#remember(streamId, { ...image, note: outcome.note });
        return;
      }
      if (outcome.kind === 'note') image = { ...image, note: outcome.note };
      if (outcome.kind === 'conflict' && outcome.winner) {
        image = applyCommits(this.entity, image, [outcome.winner]);
      }
    }
    throw new ConcurrencyError(streamId, image.version, undefined, 10);
  }

  /** Whether the image shows the claim's key already used with the same command. */
  async #claimed(run: CommandRun<C, S, E, unknown>, image: EntityImage<S>, now: number) {
    try {
      return (await this.#replays.find(run, image, now)) !== undefined;
    } catch (error) {
      if (error instanceof RefusalReplayedError) return true;
      throw error;
    }
  }

  /** Forgets every cached image (tests, or after a rebuild). */
  clearCache(): void {
    this.#cache.clear();
  }

  async #start(streamId: string, options: { isNew?: boolean }): Promise<EntityImage<S>> {
    const cached = this.#cache.get(streamId);
    // A new id this container already used (a repeat of a keyed create): its image knows the key.
    if (options.isNew) return cached ?? emptyImage(this.entity);
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
