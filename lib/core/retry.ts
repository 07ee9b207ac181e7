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

/** "Full jitter" backoff: uniform in [0, min(max, base * 2^attempt)). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/**
 * Commands: time, not the count, bounds the retries (immediate retries on a known winner are
 * cheap), so the attempt cap only guards against a loop.
 */
export const commandRetryPolicy: RetryPolicy = { ...defaultRetryPolicy, maxAttempts: 1000 };
