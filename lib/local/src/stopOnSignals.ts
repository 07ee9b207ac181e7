/**
 * How `npm start` reacts to the signals that stop it: the first drains, a repeat that is only the
 * same signal arriving twice is ignored, a later one (the user insisting) stops at once, and so
 * does a drain that takes too long.
 */

export interface StopOnSignalsOptions {
  /** The drain: everything started is stopped, in order. */
  readonly drain: () => Promise<void>;
  readonly exit: (code: number) => void;
  readonly log: (message: string) => void;
  /** A repeat within this much of the first signal is the same signal again. Default 1 s. */
  readonly repeatWindowMs?: number;
  /** A drain still running after this long is cut short. Default 30 s. */
  readonly drainLimitMs?: number;
  readonly now?: () => number;
  readonly setTimer?: (run: () => void, ms: number) => void;
}

/**
 * The handler for SIGINT, SIGTERM and SIGHUP. A signal to the process group reaches the script
 * directly and again through its parents (npm forwards what it receives) within milliseconds:
 * only a signal a second or more after the first means "now".
 *
 * @example
 * const onSignal = stopOnSignals({ drain: () => runtime.stop(), exit: process.exit, log: console.log });
 * for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => void onSignal(s));
 */
export function stopOnSignals(options: StopOnSignalsOptions): (signal: string) => Promise<void> {
  const now = options.now ?? Date.now;
  const repeatWindowMs = options.repeatWindowMs ?? 1_000;
  const drainLimitMs = options.drainLimitMs ?? 30_000;
  const setTimer =
    options.setTimer ??
    ((run: () => void, ms: number) => {
      setTimeout(run, ms).unref();
    });
  let since: number | undefined;
  return async (signal) => {
    if (since !== undefined) {
      if (now() - since < repeatWindowMs) return;
      options.log(`${signal} again: stopping at once`);
      options.exit(130);
      return;
    }
    since = now();
    options.log(`\n${signal}: stopping (HTTP requests in flight finish, workers drain)`);
    setTimer(() => {
      options.log(`Still stopping after ${drainLimitMs} ms: stopping at once`);
      options.exit(1);
    }, drainLimitMs);
    try {
      await options.drain();
    } catch (error) {
      options.log(`Could not stop cleanly: ${error instanceof Error ? error.message : error}`);
      options.exit(1);
      return;
    }
    options.log(`Stopped in ${now() - since} ms`);
    options.exit(0);
  };
}
