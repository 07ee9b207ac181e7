/**
 * Retries with backoff, the one implementation the packages share: the policy of a command on a
 * contended entity, the delay before an attempt, and the contention a stream carries over.
 */
import { LruCache } from './lruCache.ts';

/**
 * Exponential backoff: the ceiling of the delay at level `n` is `baseDelayMs * 2^n`, capped at
 * `maxDelayMs`; the jitter draws the delay under it.
 */
export interface Backoff {
  /** The ceiling at level 0, in ms; it doubles with each level. */
  readonly baseDelayMs: number;
  /** The largest ceiling, in ms. */
  readonly maxDelayMs: number;
  /**
   * `full` (default): uniform in [0, ceiling), which spreads contending writers most; `equal`:
   * in [ceiling / 2, ceiling), so the pause really grows; `none`: the ceiling itself.
   */
  readonly jitter?: 'full' | 'equal' | 'none';
}

/** How hard a command tries before it gives up on a contended entity. */
export interface RetryPolicy extends Backoff {
  /** Attempts in all, the first included. Default 100. */
  readonly maxAttempts: number;
  /** No new attempt starts after this long since the first. Default 10 s. */
  readonly timeBudgetMs: number;
  /** First backoff ceiling in ms; it doubles each attempt. Default 2. */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling in ms. Default 250. */
  readonly maxDelayMs: number;
}

/**
 * Short ceilings: on a hot entity a long sleep leaves the entity idle more than it saves in
 * wasted writes (bench: `npm run bench -- core`, 32 writers).
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 100,
  timeBudgetMs: 10_000,
  baseDelayMs: 2,
  maxDelayMs: 250,
};

/** The ceiling of the delay at `level` (0, 1, …): `min(max, base * 2^level)`. */
export function backoffCeiling(backoff: Backoff, level: number): number {
  return Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** Math.min(Math.max(level, 0), 30));
}

/**
 * The delay before a retry at `level`, in whole ms, jittered as `backoff.jitter` says.
 *
 * @example
 * ```ts
 * const batches: Backoff = { baseDelayMs: 20, maxDelayMs: 1_000 };
 * for (let attempt = 1; ; attempt++) {
 *   if (await tryOnce()) break;
 *   await sleep(backoffDelay(batches, attempt)); // under 40 ms, 80 ms, … 1 s
 * }
 * ```
 */
export function backoffDelay(
  backoff: Backoff,
  level: number,
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeiling(backoff, level);
  switch (backoff.jitter ?? 'full') {
    case 'full':
      return Math.floor(random() * ceiling);
    case 'equal':
      return Math.floor(ceiling / 2 + random() * (ceiling / 2));
    case 'none':
      return ceiling;
  }
}

/** Resolves after `ms` milliseconds: the wait between two attempts. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Commands: time, not the count, bounds the retries (immediate retries on a known winner are
 * cheap), so the attempt cap only guards against a loop.
 */
export const commandRetryPolicy: RetryPolicy = { ...defaultRetryPolicy, maxAttempts: 1000 };

/** What a store remembers of the last command on a stream: how contended it was, and when. */
export interface RecentContention {
  /** Conflicts the last command on the stream met before it was answered. */
  readonly conflicts: number;
  /** When it was answered (ms since the epoch). */
  readonly at: number;
}

/** Contention older than this is forgotten: the entity may have gone quiet. */
const contentionMemoryMs = 1000;
/** At most this many backoff levels are carried over from the previous command. */
const maxCarriedLevels = 3;

/**
 * The backoff level after `conflicts` conflicts of one command (0: retry at once). A first
 * conflict is retried at once on top of the known winner; only repeated conflicts back off. On a
 * stream whose last command (in this container, within `contentionMemoryMs`) met repeated
 * conflicts too, the levels it needed are carried over, so a hot entity's losers spread out from
 * their first conflict instead of all retrying at once (`npm run bench -- core`, 32 writers:
 * median of five rounds 0.49-0.50x of one writer without the carry, 0.52-0.55x with it).
 * @internal
 */
export function backoffLevel(
  conflicts: number,
  recent: RecentContention | undefined,
  now: number,
): number {
  if (conflicts === 0) return 0;
  const carried =
    recent && now - recent.at < contentionMemoryMs
      ? Math.min(Math.max(0, recent.conflicts - 1), maxCarriedLevels)
      : 0;
  return conflicts - 1 + carried;
}

/**
 * The waits between a store's attempts, per stream: it remembers how contended each recently
 * written stream was (a quiet one costs nothing) and backs off as `backoffLevel` says.
 * @internal
 */
export class StreamBackoff {
  readonly #recent = new LruCache<string, RecentContention>(1000);

  constructor(
    readonly policy: RetryPolicy,
    readonly random: () => number,
    readonly sleep: (ms: number) => Promise<void>,
  ) {}

  /** Notes how many conflicts the command on `streamId` met before it was answered. */
  record(streamId: string, conflicts: number): void {
    if (conflicts > 0 || this.#recent.get(streamId)) {
      this.#recent.set(streamId, { conflicts, at: Date.now() });
    }
  }

  /** Waits before another attempt; false when the deadline (ms since the epoch) comes first. */
  async wait(streamId: string, conflicts: number, deadline: number): Promise<boolean> {
    const level = backoffLevel(conflicts, this.#recent.get(streamId), Date.now());
    if (level > 0) {
      const delay = backoffDelay(this.policy, level, this.random);
      if (Date.now() + delay >= deadline) return false;
      await this.sleep(delay);
    }
    return Date.now() < deadline;
  }
}
