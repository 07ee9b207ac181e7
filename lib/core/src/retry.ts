/**
 * Retries with backoff, the one implementation the packages share: the policy of a command on a
 * contended entity, the delay before an attempt, and the contention a stream carries over.
 */
import { LruCache } from './lruCache.ts';

/** How hard a command tries before it gives up on a contended entity. */
export interface RetryPolicy {
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

/**
 * "Full jitter" backoff: uniform in [0, min(max, base * 2^attempt)).
 * @internal
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
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
export const contentionMemoryMs = 1000;
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
