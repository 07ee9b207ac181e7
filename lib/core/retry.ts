/** How hard a command tries before it gives up on a contended entity. */
export interface RetryPolicy {
  /** Attempts in all, the first included. Default 30. */
  readonly maxAttempts: number;
  /** First backoff ceiling in ms; it doubles each attempt. Default 5. */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling in ms. Default 250. */
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 30, baseDelayMs: 5, maxDelayMs: 250 };

/** "Full jitter" backoff: uniform in [0, min(max, base * 2^attempt)). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
