/**
 * The pause between two attempts of a failing batch in the local stream poller: exponential with
 * "equal jitter" (at least half the ceiling, so the delay really grows), capped, and cut short
 * only by a stop, never by a caller waiting for idleness: a failing batch must not be hammered.
 */
export interface RetryDelay {
  /** Ceiling of the first pause, in ms; it doubles with every attempt. */
  readonly base: number;
  /** The largest ceiling, in ms. */
  readonly max: number;
}

export const defaultRetryDelay: RetryDelay = { base: 100, max: 5_000 };

/** Bounds of the pause after the `attempt`-th failure in a row (1-based). */
export function backoffBounds(delay: RetryDelay, attempt: number): { min: number; max: number } {
  const ceiling = Math.min(delay.max, delay.base * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
  return { min: ceiling / 2, max: ceiling };
}

/**
 * @example
 * const backoff = createBackoff(defaultRetryDelay);
 * await backoff.wait(failures); // elsewhere, on stop: backoff.cancel()
 */
export function createBackoff(delay: RetryDelay, random: () => number = Math.random) {
  let cancel: (() => void) | undefined;
  return {
    wait: (attempt: number) =>
      new Promise<void>((resolve) => {
        const { min, max } = backoffBounds(delay, attempt);
        const timer = setTimeout(done, min + random() * (max - min));
        function done() {
          clearTimeout(timer);
          cancel = undefined;
          resolve();
        }
        cancel = done;
      }),
    cancel: () => cancel?.(),
  };
}
