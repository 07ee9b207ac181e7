/**
 * Counts over the last minutes, in fixed time buckets: what the console's write-rate chart draws.
 * Old buckets fall out as time moves on, so memory stays bounded however long the runtime runs.
 */

/** What one bucket counts. */
export interface RateCounts {
  /** Journal commits (and durable-state writes) seen on the stream. */
  commits: number;
  /** Events in those commits. */
  events: number;
  /** Optimistic-concurrency conflicts the entity stores met (each one retried). */
  conflicts: number;
}

/** One bucket of the window: when it starts, and its counts. */
export interface RateBucket extends RateCounts {
  readonly at: string;
}

/** The window as the operator API answers it: oldest bucket first, every bucket present. */
export interface RateSeries {
  readonly bucketSeconds: number;
  readonly buckets: readonly RateBucket[];
  readonly totals: RateCounts;
}

/**
 * Counts of the last minutes in fixed buckets (the write meter's; exported for its spec).
 * @internal
 */
export class RateWindow {
  readonly #bucketMs: number;
  readonly #size: number;
  readonly #now: () => number;
  /** Counts by bucket start (epoch ms). */
  readonly #counts = new Map<number, RateCounts>();

  constructor(
    options: {
      readonly bucketSeconds?: number;
      readonly minutes?: number;
      readonly now?: () => number;
    } = {},
  ) {
    this.#bucketMs = (options.bucketSeconds ?? 10) * 1000;
    this.#size = Math.ceil(((options.minutes ?? 10) * 60_000) / this.#bucketMs);
    this.#now = options.now ?? Date.now;
  }

  /** Adds to the bucket of `atMs` (default now); counts older than the window are dropped. */
  add(what: keyof RateCounts, count = 1, atMs = this.#now()): void {
    const start = this.#start(atMs);
    if (start <= this.#start(this.#now()) - this.#size * this.#bucketMs) return;
    const counts = this.#counts.get(start) ?? { commits: 0, events: 0, conflicts: 0 };
    counts[what] += count;
    this.#counts.set(start, counts);
    this.#prune();
  }

  /** Every bucket of the window, the current one last (empty buckets as zeros). */
  series(): RateSeries {
    this.#prune();
    const last = this.#start(this.#now());
    const buckets: RateBucket[] = [];
    const totals: RateCounts = { commits: 0, events: 0, conflicts: 0 };
    for (let i = this.#size - 1; i >= 0; i--) {
      const start = last - i * this.#bucketMs;
      const counts = this.#counts.get(start) ?? { commits: 0, events: 0, conflicts: 0 };
      buckets.push({ at: new Date(start).toISOString(), ...counts });
      totals.commits += counts.commits;
      totals.events += counts.events;
      totals.conflicts += counts.conflicts;
    }
    return { bucketSeconds: this.#bucketMs / 1000, buckets, totals };
  }

  #start(ms: number): number {
    return Math.floor(ms / this.#bucketMs) * this.#bucketMs;
  }

  #prune(): void {
    const oldest = this.#start(this.#now()) - (this.#size - 1) * this.#bucketMs;
    for (const start of this.#counts.keys()) if (start < oldest) this.#counts.delete(start);
  }
}
